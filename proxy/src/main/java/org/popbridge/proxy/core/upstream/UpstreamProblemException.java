package org.popbridge.proxy.core.upstream;

import java.util.Optional;

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
}
