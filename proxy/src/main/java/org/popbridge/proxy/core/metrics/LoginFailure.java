package org.popbridge.proxy.core.metrics;

import java.util.Locale;

/** Why a client's login failed, as the metrics label says it. */
public enum LoginFailure {
    /** The mail server refused the credentials, or no route takes the user. */
    REFUSED,
    /** The server could not log anyone in just now (a temporary answer, or it could not be reached). */
    UNAVAILABLE,
    /** A login in clear on a listener that allows it only over TLS. */
    TLS_REQUIRED;

    /** The label value: {@code refused}, {@code unavailable}, {@code tls_required}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
