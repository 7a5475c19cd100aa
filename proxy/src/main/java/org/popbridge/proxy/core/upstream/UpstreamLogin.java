package org.popbridge.proxy.core.upstream;

import java.util.Objects;
import org.popbridge.proxy.core.session.Credentials;

/**
 * How a session logs in to its route's server, as its {@link UpstreamAuthenticator} decided:
 * with the client's own name and password, or with an OAuth 2.0 access token for the user.
 * Neither prints its secret.
 */
public sealed interface UpstreamLogin {

    /** The name the server knows the user by. */
    String user();

    /**
     * The client's credentials, under the name the route gives the user: relayed as the client
     * sent them (USER/PASS, AUTH PLAIN with its authorization identity, AUTH LOGIN).
     */
    record Password(Credentials credentials) implements UpstreamLogin {

        public Password {
            Objects.requireNonNull(credentials, "credentials");
        }

        @Override
        public String user() {
            return credentials.user();
        }
    }

    /**
     * An access token for {@code user}, sent with SASL XOAUTH2 or OAUTHBEARER (RFC 7628).
     *
     * @param user the mailbox the token is for, as the server names it (usually an address)
     */
    record Bearer(String user, AccessToken accessToken) implements UpstreamLogin {

        public Bearer {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(accessToken, "accessToken");
        }
    }
}
