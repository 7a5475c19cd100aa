package org.popbridge.proxy.server;

import java.util.Optional;
import org.popbridge.oauth.TokenEvents;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.core.upstream.UpstreamAuthenticator;

/**
 * Makes the authenticator of an {@code auth: oauth2} server: the seam the oauth module fills
 * (its token store unlocked by the client's password, its access-token cache with one refresh
 * in flight per user). Called when a generation is built, once per distinct provider; the
 * authenticator it returns serves every route with that provider.
 */
@FunctionalInterface
public interface OAuthAuthenticators {

    /**
     * Until the oauth module is wired in: a config with {@code auth: oauth2} is refused at start,
     * never served with a password or a made-up token.
     */
    OAuthAuthenticators ABSENT = (provider, secret) -> {
        throw new ConfigException("auth: oauth2 needs the oauth module, which this build of popbridge does not "
                + "include yet; use auth: password (the default) for now");
    };

    /**
     * The authenticator for users whose tokens come from {@code provider}.
     *
     * @param secret the client secret from the provider's client-secret-env; empty for a public client
     * @throws ConfigException if the provider cannot be served (the message names what to fix)
     */
    UpstreamAuthenticator authenticator(OAuthProviderConfig provider, Optional<ClientSecret> secret)
            throws ConfigException;

    /** Where refreshes of access tokens are counted (the server's meters); nothing to count by default. */
    default void countInto(TokenEvents counters) {
    }
}
