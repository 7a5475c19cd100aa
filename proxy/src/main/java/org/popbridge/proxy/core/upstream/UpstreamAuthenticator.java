package org.popbridge.proxy.core.upstream;

import java.util.concurrent.CompletableFuture;
import org.popbridge.proxy.core.session.Credentials;

/**
 * Turns what a client logged in with into the login its route's server gets. Called on the
 * session's event loop once the client's login is complete and before the server is contacted
 * (invariant 8); it must not block: a login that needs the network (a token refresh) returns an
 * incomplete future, completed on any thread, and the session continues on its own loop.
 *
 * <p>A login that cannot be made fails the future with an {@link UpstreamAuthException}, whose
 * {@link UpstreamAuthFailure} says what the client is told. Nothing it returns or throws may
 * carry a secret in its text.
 */
@FunctionalInterface
public interface UpstreamAuthenticator {

    /** {@code auth: password}: the client's own credentials go upstream, under the route's name for the user. */
    UpstreamAuthenticator PASSWORD = (given, upstreamUser) ->
            CompletableFuture.completedFuture(new UpstreamLogin.Password(given.withUser(upstreamUser)));

    /**
     * The login for the route's server.
     *
     * @param given the user name and password as the client gave them (the name before any rewrite)
     * @param upstreamUser the user's name at the route's server (after strip-domain or add-domain)
     */
    CompletableFuture<UpstreamLogin> authenticate(Credentials given, String upstreamUser);
}
