package org.popbridge.oauth;

/**
 * What {@link AccessTokens} reports, for the proxy to count in its meters (this module has no
 * metrics library). Calls come from the threads that complete HTTP exchanges and must not block.
 * The user is given for logs; it is not meant as a meter tag (unbounded).
 */
public interface TokenEvents {

    /** Reports nothing. */
    TokenEvents NONE = new TokenEvents() { };

    /** A refresh (or client-credentials grant) was sent to the identity provider. */
    default void refreshStarted(String user) {
    }

    /** It gave a new access token; rotated when it also gave a new refresh token. */
    default void refreshed(String user, boolean rotated) {
    }

    /** It failed, of this kind. */
    default void refreshFailed(String user, OAuthException.Kind kind) {
    }

    /** A caller was refused without asking the provider: the user is backing off (TEMPORARY) or must enrol again (INVALID_GRANT). */
    default void refusedWithoutAsking(String user, OAuthException.Kind kind) {
    }
}
