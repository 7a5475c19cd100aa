package org.popbridge.proxy.config;

import java.util.Locale;

/** The {@code auth:} and {@code provider:} keys of an upstream or submission server, checked together. */
final class UpstreamAuthSettings {

    static final String PASSWORD = "password";
    static final String OAUTH2 = "oauth2";

    private UpstreamAuthSettings() {
    }

    /**
     * The provider for {@code auth: oauth2}; null for {@code auth: password}, the default, which
     * logs in with the client's own password.
     */
    static OAuthProviderConfig read(String auth, OAuthProviderConfig provider, boolean apop) {
        String mode = auth == null ? PASSWORD : auth.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals(PASSWORD) && !mode.equals(OAUTH2)) {
            throw new SettingException("auth", "unknown value '" + auth + "' (use password or oauth2)");
        }
        if (mode.equals(PASSWORD)) {
            if (provider != null) {
                throw new SettingException("provider", "only with auth: oauth2; with auth: password the client's "
                        + "own password goes to the server");
            }
            return null;
        }
        if (provider == null) {
            throw new SettingException("auth", "auth: oauth2 needs a provider: block "
                    + "(type: microsoft, google or generic, and its client-id)");
        }
        if (apop) {
            throw new SettingException("auth", "auth: oauth2 cannot go with apop: true (APOP sends a digest of the "
                    + "password, which a server that takes tokens cannot check); remove apop");
        }
        return provider;
    }
}
