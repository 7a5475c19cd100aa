package org.popbridge.proxy.core.upstream;

import org.popbridge.proxy.core.metrics.TokenFailure;

/** Why an {@link UpstreamAuthenticator} could not give a login; each kind has its own reply to the client. */
public enum UpstreamAuthFailure {
    /**
     * The password the client gave does not unlock the user's tokens, or the user is not
     * enrolled: a wrong password to the client ({@code -ERR [AUTH]}, {@code 535 5.7.8}).
     */
    CREDENTIALS_REFUSED(TokenFailure.CREDENTIALS_REFUSED),
    /**
     * The identity provider no longer takes the user's refresh token (revoked or expired): the
     * client is refused as above, and the log says which command enrols the user again.
     */
    REENROL_NEEDED(TokenFailure.REENROL_NEEDED),
    /** The identity provider could not be reached or failed: try again later ({@code -ERR [SYS/TEMP]}, {@code 454 4.7.0}). */
    TEMPORARY(TokenFailure.TEMPORARY);

    private final TokenFailure meter;

    UpstreamAuthFailure(TokenFailure meter) {
        this.meter = meter;
    }

    /** How the metrics count it. */
    public TokenFailure meter() {
        return meter;
    }
}
