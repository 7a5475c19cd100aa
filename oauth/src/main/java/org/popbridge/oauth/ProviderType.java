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

    /**
     * Whether the client secret goes with the grants a user's consent stands behind (device
     * code, authorization code, refresh). Microsoft issues those to the app as a public client
     * (the device flow needs "Allow public client flows") and refuses any later request of them
     * that presents a secret (AADSTS700025); its secret is for client credentials only. Google's
     * and generic providers take the secret with every grant.
     */
    public boolean secretOnUserGrants() {
        return this != MICROSOFT;
    }
}
