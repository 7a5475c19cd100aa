package org.popbridge.proxy.core.upstream;

import java.util.Objects;

/**
 * An OAuth 2.0 access token (RFC 6749 section 1.4) to log in upstream with. Never printed:
 * {@link #toString()} hides it, so a login value can be logged or put in an exception by mistake
 * without leaking it (invariant 6).
 *
 * @param value the token as the identity provider issued it (ASCII, RFC 6750 section 2.1)
 */
public record AccessToken(String value) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an access token is not empty");
        }
    }

    @Override
    public String toString() {
        return "AccessToken[***]";
    }
}
