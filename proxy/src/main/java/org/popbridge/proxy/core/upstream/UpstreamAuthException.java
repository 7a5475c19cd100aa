package org.popbridge.proxy.core.upstream;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An {@link UpstreamAuthenticator}'s refusal, of a kind the session answers the client by. Its
 * message is for the log and must hold no token, password or code (invariant 6).
 */
public final class UpstreamAuthException extends RuntimeException {

    private final UpstreamAuthFailure failure;

    public UpstreamAuthException(UpstreamAuthFailure failure, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public UpstreamAuthException(UpstreamAuthFailure failure, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public UpstreamAuthFailure failure() {
        return failure;
    }

    /** The refusal behind {@code thrown}, as a future reports it (wrapped in a CompletionException or not). */
    public static Optional<UpstreamAuthException> in(Throwable thrown) {
        Throwable cause = thrown;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof UpstreamAuthException refusal ? Optional.of(refusal) : Optional.empty();
    }
}
