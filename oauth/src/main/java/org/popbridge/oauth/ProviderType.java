package org.popbridge.oauth;

import java.util.Locale;

/** The identity providers popbridge knows by name; GENERIC is any RFC 6749/8628 server given by its URLs. */
public enum ProviderType {
    MICROSOFT,
    GOOGLE,
    GENERIC;

    /** The name written in the config and in token-store files ("microsoft", "google", "generic"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
