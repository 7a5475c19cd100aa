package org.popbridge.proxy.core.upstream;

import java.util.Optional;
import org.popbridge.proxy.core.metrics.UpstreamStage;

/**
 * A failure to reach or secure an upstream that has been put in words: its message is the
 * {@link UpstreamProblem}'s sentence, its cause what netty or the JDK threw (kept for a DEBUG
 * stack trace, never for the WARN line: a NotSslRecordException's message is a hex dump).
 */
public final class UpstreamProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient UpstreamProblem problem;

    public UpstreamProblemException(UpstreamProblem problem, Throwable cause) {
        super(problem.sentence(), cause);
        this.problem = problem;
    }

    public UpstreamProblemException(UpstreamProblem problem) {
        this(problem, null);
    }

    public UpstreamProblem problem() {
        return problem;
    }

    /** The problem some cause in {@code failure}'s chain was explained as, if any was. */
    public static Optional<UpstreamProblem> in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof UpstreamProblemException explained) {
                return Optional.of(explained.problem());
            }
        }
        return Optional.empty();
    }

    /**
     * Where reaching the upstream failed, for the metrics label: the stage of the problem the
     * adapter named where it named one (a plain port behind a TLS URL fails at the handshake,
     * though the JDK only saw a closed connection), else what the cause says.
     */
    public static UpstreamStage stage(Throwable failure) {
        return in(failure).map(problem -> switch (problem.kind()) {
            case CONNECTION_REFUSED, CONNECT_TIMED_OUT, UNKNOWN_HOST, UNREACHABLE -> UpstreamStage.CONNECT;
            case TLS_ON_PLAIN_PORT, TLS_HANDSHAKE_TIMED_OUT, UNTRUSTED_CERTIFICATE, NAME_MISMATCH,
                 EXPIRED_CERTIFICATE, CERTIFICATE_NOT_YET_VALID, TLS_FAILED -> UpstreamStage.TLS;
            case PLAIN_ON_TLS_PORT, TLS_NOT_OFFERED, UNEXPECTED_REPLY, NO_REPLY, CLOSED -> UpstreamStage.GREETING;
        }).orElseGet(() -> UpstreamStage.ofUnavailable(failure));
    }
}
