package org.popbridge.proxy.core.metrics;

import java.util.Locale;

/** Why no token could be had for an upstream login (auth: oauth2), as the metrics label says it. */
public enum TokenFailure {
    /** The client's password did not unlock the user's tokens, or the user is not enrolled. */
    CREDENTIALS_REFUSED,
    /** The identity provider no longer takes the user's refresh token: the user must enrol again. */
    REENROL_NEEDED,
    /** The identity provider could not be reached or failed for now. */
    TEMPORARY;

    /** The label value: {@code credentials_refused}, {@code reenrol_needed}, {@code temporary}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
