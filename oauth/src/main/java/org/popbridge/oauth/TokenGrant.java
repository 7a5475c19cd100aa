package org.popbridge.oauth;

import java.util.Objects;
import java.util.Optional;

/**
 * What the token endpoint granted (RFC 6749 5.1): an access token, the refresh token to keep (the
 * new one if the provider rotated it, else the one used), and the granted scope. toString hides
 * both tokens.
 */
public record TokenGrant(AccessToken accessToken, Optional<String> refreshToken, String scope) {

    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        scope = scope == null ? "" : scope;
    }

    @Override
    public String toString() {
        return "TokenGrant[" + accessToken + (refreshToken.isPresent() ? ", with refresh token" : ", no refresh token")
                + ", scope " + scope + "]";
    }
}
