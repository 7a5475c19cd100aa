package org.popbridge.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A bearer access token (RFC 6750) and when it was issued and expires; toString hides the value. */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("an access token must expire after it is issued");
        }
    }

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[issued " + issuedAt + ", expires " + expiresAt + "]";
    }
}
