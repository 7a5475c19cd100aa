package org.popbridge.proxy.testing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.upstream.AccessToken;
import org.popbridge.proxy.core.upstream.UpstreamAuthException;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamAuthenticator;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.server.ClientSecret;
import org.popbridge.proxy.server.OAuthAuthenticators;

/**
 * A stand-in for the oauth module, for tests only: each enrolled user has a local password and
 * an access token; a login with that password gets the token, on another thread after a short
 * while as a refresh would, and anything else fails with the kind the test set for the user.
 */
public final class TokenAuthenticators implements OAuthAuthenticators {

    private record Enrolled(String password, String token, UpstreamAuthFailure failure) {
    }

    private final Map<String, Enrolled> users = new ConcurrentHashMap<>();
    private final Executor later = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);
    private volatile int providersBuilt;

    /** {@code user} logs in with {@code password} and gets {@code token}. */
    public TokenAuthenticators enrol(String user, String password, String token) {
        users.put(user, new Enrolled(password, token, null));
        return this;
    }

    /** {@code user}'s login with {@code password} fails as {@code failure} says (revoked, IdP down). */
    public TokenAuthenticators failing(String user, String password, UpstreamAuthFailure failure) {
        users.put(user, new Enrolled(password, null, failure));
        return this;
    }

    /**
     * Answers on the caller's thread, the future already complete when it is returned, as a real
     * authenticator does when its cache already knows (a token in hand, or a user who must enrol again).
     */
    public TokenAuthenticators answeringAtOnce() {
        this.atOnce = true;
        return this;
    }

    /** How many authenticators the proxy had built: one per distinct provider per generation. */
    private volatile boolean atOnce;

    public int providersBuilt() {
        return providersBuilt;
    }

    @Override
    public UpstreamAuthenticator authenticator(OAuthProviderConfig provider, Optional<ClientSecret> secret) {
        providersBuilt++;
        return (given, upstreamUser) -> {
            if (!atOnce) {
                return CompletableFuture.supplyAsync(() -> login(given, upstreamUser), later);
            }
            try {
                return CompletableFuture.completedFuture(login(given, upstreamUser));
            } catch (UpstreamAuthException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    private UpstreamLogin login(Credentials given, String upstreamUser) {
        Enrolled enrolled = users.get(given.user());
        if (enrolled == null || !enrolled.password().equals(given.password())) {
            throw new UpstreamAuthException(UpstreamAuthFailure.CREDENTIALS_REFUSED,
                    "the password does not unlock the user's tokens");
        }
        if (enrolled.failure() != null) {
            throw new UpstreamAuthException(enrolled.failure(), switch (enrolled.failure()) {
                case REENROL_NEEDED -> "the identity provider answered invalid_grant to the refresh";
                case TEMPORARY -> "the identity provider did not answer";
                case CREDENTIALS_REFUSED -> "not enrolled";
            });
        }
        return new UpstreamLogin.Bearer(upstreamUser, new AccessToken(enrolled.token()));
    }
}
