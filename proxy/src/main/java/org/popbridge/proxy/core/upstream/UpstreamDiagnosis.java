package org.popbridge.proxy.core.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells what went wrong from what netty or the JDK threw while connecting to an upstream or
 * starting TLS with it, as an {@link UpstreamProblem}. A failure it does not know (a reply that
 * broke the protocol, a connection lost later) is not a connection problem: no sentence.
 */
public final class UpstreamDiagnosis {

    private UpstreamDiagnosis() {
    }

    /** The problem {@code failure} shows at {@code at}, if it is one of reaching or securing the server. */
    public static Optional<UpstreamProblem> of(UpstreamEndpoint at, Throwable failure) {
        List<Throwable> chain = chain(failure);
        // The most telling cause first, wherever it sits in the chain: the handshake's
        // SSLHandshakeException wraps the certificate's refusal, a DecoderException the record's.
        for (Throwable cause : chain) {
            if (cause instanceof UpstreamProblemException explained) {
                return Optional.of(explained.problem());
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof RefusedCertificateException refused) {
                return Optional.of(certificate(at, refused));
            }
        }
        for (Throwable cause : chain) {
            Optional<UpstreamProblem> problem = byType(at, cause);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return chain.stream().filter(SSLException.class::isInstance).reduce((outer, inner) -> inner)
                .map(tls -> UpstreamProblem.tlsFailed(at, tls.getClass().getSimpleName()
                        + (tls.getMessage() == null ? "" : ": " + tls.getMessage())));
    }

    /**
     * {@code failure} with its sentence attached, for a session to log and pass on: an
     * {@link UpstreamProblemException} caused by it, or {@code failure} itself if it is no
     * connection problem or was explained already.
     */
    public static Throwable explain(UpstreamEndpoint at, Throwable failure) {
        if (failure == null || UpstreamProblemException.in(failure).isPresent()) {
            return failure;
        }
        return of(at, failure).<Throwable>map(problem -> new UpstreamProblemException(problem, failure))
                .orElse(failure);
    }

    private static Optional<UpstreamProblem> byType(UpstreamEndpoint at, Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return Optional.of(UpstreamProblem.tlsOnPlainPort(at));
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return Optional.of(UpstreamProblem.tlsHandshakeTimedOut(at));
        }
        // Netty's ConnectTimeoutException is a ConnectException: it must be asked first.
        if (cause instanceof ConnectTimeoutException) {
            return Optional.of(UpstreamProblem.connectTimedOut(at));
        }
        if (cause instanceof UnknownHostException) {
            return Optional.of(UpstreamProblem.unknownHost(at));
        }
        if (cause instanceof ConnectException) {
            return Optional.of(UpstreamProblem.connectionRefused(at));
        }
        if (cause instanceof NoRouteToHostException) {
            return Optional.of(UpstreamProblem.unreachable(at, "no route to host"));
        }
        return Optional.empty();
    }

    private static UpstreamProblem certificate(UpstreamEndpoint at, RefusedCertificateException refused) {
        return switch (refused.reason()) {
            case EXPIRED -> UpstreamProblem.expiredCertificate(at, refused.certificate());
            case NOT_YET_VALID -> UpstreamProblem.certificateNotYetValid(at, refused.certificate());
            case UNTRUSTED -> UpstreamProblem.untrustedCertificate(at, refused.certificate());
            case NAME_MISMATCH -> UpstreamProblem.nameMismatch(at, refused.certificate());
        };
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause) && chain.size() < 20;
             cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}
