package org.popbridge.proxy.server;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.OAuthProviderConfig;

/**
 * The client secret popbridge is registered with at an identity provider, read from the
 * environment variable the provider's {@code client-secret-env} names when the provider is
 * built. Never printed: {@link #toString()} hides it (invariant 6).
 */
public final class ClientSecret {

    private final String value;

    private ClientSecret(String value) {
        this.value = value;
    }

    /**
     * The secret of {@code provider}, looked up in {@code environment}; empty for a public client
     * (no client-secret-env).
     *
     * @throws ConfigException if the variable is not set, naming it (never its value)
     */
    static Optional<ClientSecret> of(OAuthProviderConfig provider, UnaryOperator<String> environment)
            throws ConfigException {
        if (provider.clientSecretEnv() == null) {
            return Optional.empty();
        }
        String value = environment.apply(provider.clientSecretEnv());
        if (value == null || value.isEmpty()) {
            throw new ConfigException("client-secret-env: the environment variable " + provider.clientSecretEnv()
                    + " is not set; it must hold the client secret of " + provider.clientId());
        }
        return Optional.of(new ClientSecret(value));
    }

    /** The secret, for the token endpoint's request only. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientSecret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "ClientSecret[***]";
    }
}
