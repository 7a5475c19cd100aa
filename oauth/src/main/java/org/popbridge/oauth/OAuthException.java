package org.popbridge.oauth;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An OAuth2 exchange that did not give a token, with the kind that tells the caller what to do.
 * The message is written by this module only: it names the endpoint and the error code, never a
 * token, code or secret, and never the raw answer.
 */
public final class OAuthException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, by what the caller should do about it. */
    public enum Kind {
        /** The refresh token or code was refused (RFC 6749 5.2 invalid_grant): revoked or expired; the user must be enrolled again. */
        INVALID_GRANT(false),
        /** The client id, secret, scopes or endpoints are wrong (invalid_client, unauthorized_client, invalid_scope...): the configuration must change. */
        INVALID_CLIENT(false),
        /** The user declined the request at the identity provider (RFC 8628 3.5 access_denied). */
        DENIED(false),
        /** The device code, or the time allowed to wait for the user, ran out (RFC 8628 3.5 expired_token). */
        EXPIRED(false),
        /** A 5xx or 429 answer, a time-out or a network failure: worth another try later. */
        TEMPORARY(true),
        /** The answer was malformed, too large, or not what the protocol says. */
        PROTOCOL(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether the same request may succeed later without any change. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public OAuthException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** The cause must be one whose text holds no secret (an I/O exception, never a JSON parser's). */
    public OAuthException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The OAuthException inside what a CompletableFuture failed with (CompletionException,
     * ExecutionException); anything else becomes PROTOCOL, without its text, since it was not
     * written with secrets in mind.
     */
    public static OAuthException of(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OAuthException e) {
            return e;
        }
        return new OAuthException(Kind.PROTOCOL, "unexpected failure: " + t.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return "OAuthException[" + kind + "]: " + getMessage();
    }
}
