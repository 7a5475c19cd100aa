package org.popbridge.proxy.server;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.ProviderType;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.OAuthProviderConfig;

/**
 * The oauth module's provider for a {@code provider:} block: the config's endpoints, client and
 * scopes, with the secret read from its environment variable. Shared by the running proxy and the
 * {@code popbridge oauth} commands, so an enrolment and the logins it serves ask the same provider.
 */
public final class OAuthProviders {

    private OAuthProviders() {
    }

    /** The provider of {@code config}, its client secret looked up in the process's environment. */
    public static OAuthProvider of(OAuthProviderConfig config) throws ConfigException {
        return of(config, System::getenv);
    }

    /**
     * The provider of {@code config}, its client secret looked up in {@code environment} (the
     * process's, or a test's).
     */
    public static OAuthProvider of(OAuthProviderConfig config, UnaryOperator<String> environment)
            throws ConfigException {
        return of(config, ClientSecret.of(config, environment));
    }

    static OAuthProvider of(OAuthProviderConfig config, Optional<ClientSecret> secret) throws ConfigException {
        Optional<String> value = secret.map(ClientSecret::value);
        try {
            return switch (config.type()) {
                case MICROSOFT -> withScopes(OAuthProvider.microsoft(config.tenant(), config.clientId(), value), config);
                case GOOGLE -> withScopes(OAuthProvider.google(config.clientId(), value), config);
                case GENERIC -> new OAuthProvider(ProviderType.GENERIC, config.tokenUrl(),
                        config.deviceAuthorizationUrl(), Optional.ofNullable(config.authorizationUrl()),
                        Optional.ofNullable(config.revocationUrl()),
                        config.clientId(), value, config.scopes(), config.scopes());
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException("provider: " + e.getMessage(), e);
        }
    }

    /** A named provider with the scopes the config gives (its defaults unless the file changed them). */
    private static OAuthProvider withScopes(OAuthProvider named, OAuthProviderConfig config) {
        if (config.scopes().equals(named.scopes()) && config.revocationUrl() == null) {
            return named;
        }
        return new OAuthProvider(named.type(), named.tokenUrl(), named.deviceAuthorizationUrl(),
                named.authorizationUrl(),
                config.revocationUrl() != null ? Optional.of(config.revocationUrl()) : named.revocationUrl(),
                named.clientId(), named.clientSecret(), config.scopes(), named.clientCredentialsScopes());
    }
}
