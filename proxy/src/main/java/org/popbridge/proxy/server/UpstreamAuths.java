package org.popbridge.proxy.server;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.upstream.Enrolment;
import org.popbridge.proxy.core.upstream.UpstreamAuth;

/**
 * How the servers of one generation are logged in to, keyed by their config: {@code auth:
 * password} servers with the client's password, {@code auth: oauth2} servers with the
 * authenticator {@link OAuthAuthenticators} makes for their provider, one per distinct
 * provider, so every route to it shares its tokens.
 */
final class UpstreamAuths {

    private final OAuthAuthenticators oauth;
    private final Enrolment enrolment;
    private final UnaryOperator<String> environment;
    private final Map<OAuthProviderConfig, UpstreamAuth> byProvider = new HashMap<>();

    UpstreamAuths(OAuthAuthenticators oauth, Enrolment enrolment, UnaryOperator<String> environment) {
        this.oauth = oauth;
        this.enrolment = enrolment;
        this.environment = environment;
    }

    /** Password logins only: a server with auth: oauth2 is refused. */
    static UpstreamAuths passwordOnly() {
        return new UpstreamAuths(OAuthAuthenticators.ABSENT, Enrolment.UNKNOWN_FILE, System::getenv);
    }

    /**
     * How sessions log in to {@code server}.
     *
     * @throws ConfigException if its provider cannot be built (no oauth module, a client secret not
     *     in the environment), naming the server
     */
    UpstreamAuth of(UpstreamConfig server) throws ConfigException {
        if (!server.oauth()) {
            return UpstreamAuth.PASSWORD;
        }
        OAuthProviderConfig provider = server.oauth2();
        UpstreamAuth auth = byProvider.get(provider);
        if (auth == null) {
            try {
                auth = new UpstreamAuth(oauth.authenticator(provider, ClientSecret.of(provider, environment)),
                        provider.mechanism(), enrolment);
            } catch (ConfigException e) {
                throw new ConfigException(server.url() + ": " + e.getMessage(), e);
            }
            byProvider.put(provider, auth);
        }
        return auth;
    }
}
