package org.popbridge.proxy.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.popbridge.oauth.AccessTokens;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.RefreshPolicy;
import org.popbridge.oauth.StoreKey;
import org.popbridge.oauth.TokenEvents;
import org.popbridge.oauth.TokenStore;
import org.popbridge.oauth.UnlockedGrant;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.AccessToken;
import org.popbridge.proxy.core.upstream.UpstreamAuthException;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamAuthenticator;
import org.popbridge.proxy.core.upstream.UpstreamLogin;

/**
 * {@code auth: oauth2} with the oauth module: the client's password unlocks the user's refresh
 * token in the token store (STATE_DIR/oauth, written by {@code popbridge oauth login}), and the
 * access-token cache gives a token for it, refreshed with one request in flight per user. One
 * store and one cache per process, so tokens outlive reloads; a user enrolled with another
 * provider than the route's is refused.
 *
 * <p>Unlocking runs a memory-hard KDF (tens of milliseconds), so it runs on threads of its own,
 * never on an event loop; the store keeps successful unlocks for a while, so a scanner that logs
 * in every minute pays it rarely.
 */
public final class OAuthLogins implements OAuthAuthenticators, AutoCloseable {

    /** Unlocks and store writes at once; more wait (the store runs at most two derivations anyway). */
    private static final int BLOCKING_THREADS = 2;

    private final Path directory;
    private final Clock clock;
    private final ExecutorService blocking;
    private final RelayedEvents events = new RelayedEvents();
    private Tokens tokens;

    /** @param clock when access tokens expire, as the identity provider's answers count it */
    OAuthLogins(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.blocking = Executors.newFixedThreadPool(BLOCKING_THREADS, task -> {
            Thread thread = new Thread(task, "popbridge-oauth-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The token store of the state directory {@code stateDir}: {@code stateDir/oauth}. */
    public static OAuthLogins inStateDir(Path stateDir) {
        return new OAuthLogins(tokenDirectory(stateDir), Clock.systemUTC());
    }

    /** Where {@code popbridge oauth login} keeps the tokens of a state directory. */
    public static Path tokenDirectory(Path stateDir) {
        return stateDir.resolve("oauth");
    }

    @Override
    public UpstreamAuthenticator authenticator(OAuthProviderConfig config, Optional<ClientSecret> secret)
            throws ConfigException {
        OAuthProvider provider = OAuthProviders.of(config, secret);
        Tokens opened = open();
        return (given, upstreamUser) -> login(opened, provider, given);
    }

    @Override
    public void countInto(TokenEvents counters) {
        events.counters = counters;
    }

    /** The store and the cache, opened at the first provider that needs them. */
    private synchronized Tokens open() throws ConfigException {
        if (tokens == null) {
            try {
                TokenStore store = TokenStore.open(directory);
                OAuthClient client = new OAuthClient(HttpClient.newBuilder().connectTimeout(OAuthClient.DEFAULT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER).build(), clock, OAuthClient.DEFAULT_TIMEOUT);
                tokens = new Tokens(store, new AccessTokens(client, store, blocking, clock, events, RefreshPolicy.DEFAULT));
            } catch (IOException e) {
                throw new ConfigException("the OAuth token store " + directory + " cannot be opened: " + e.getMessage(), e);
            }
        }
        return tokens;
    }

    private CompletableFuture<UpstreamLogin> login(Tokens opened, OAuthProvider provider, Credentials given) {
        // The store keys users and passwords as the text the admin typed at `popbridge oauth
        // login`; a client sends the UTF-8 octets of the same text.
        String user = new String(given.userOctets(), StandardCharsets.UTF_8);
        String password = new String(given.passwordOctets(), StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> unlock(opened.store(), user, password), blocking)
                .thenCompose(grant -> {
                    if (!grant.providerId().equals(provider.id())) {
                        throw new UpstreamAuthException(UpstreamAuthFailure.CREDENTIALS_REFUSED, "user "
                                + LogText.of(user) + " is enrolled with the " + grant.providerId()
                                + " provider, and this server's is " + provider.id());
                    }
                    return opened.accessTokens().get(provider, grant)
                            .thenApply(token -> (UpstreamLogin) new UpstreamLogin.Bearer(grant.account(),
                                    new AccessToken(token.value())));
                })
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(explained(failure, user)));
    }

    private static UnlockedGrant unlock(TokenStore store, String user, String password) {
        Optional<UnlockedGrant> grant;
        try {
            grant = store.unlock(user, new StoreKey.LocalPassword(password));
        } catch (IOException e) {
            throw new UpstreamAuthException(UpstreamAuthFailure.TEMPORARY, "the token file of user "
                    + LogText.of(user) + " cannot be read: " + e.getMessage());
        }
        return grant.orElseThrow(() -> new UpstreamAuthException(UpstreamAuthFailure.CREDENTIALS_REFUSED,
                "user " + LogText.of(user) + " is not enrolled, or the password does not unlock the tokens"));
    }

    /** A failure as the session needs it: what the client is told, in a message without secrets. */
    private static UpstreamAuthException explained(Throwable failure, String user) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof UpstreamAuthException known) {
            return known;
        }
        OAuthException oauth = OAuthException.of(cause);
        UpstreamAuthFailure kind = switch (oauth.kind()) {
            case INVALID_GRANT, DENIED, EXPIRED -> UpstreamAuthFailure.REENROL_NEEDED;
            case INVALID_CLIENT, TEMPORARY, PROTOCOL -> UpstreamAuthFailure.TEMPORARY;
        };
        return new UpstreamAuthException(kind, "no access token for user " + LogText.of(user) + ": "
                + oauth.getMessage());
    }

    @Override
    public void close() {
        blocking.shutdownNow();
    }

    private record Tokens(TokenStore store, AccessTokens accessTokens) {
    }

    /** The cache's events, passed on to the meters once the server has them. */
    private static final class RelayedEvents implements TokenEvents {
        private volatile TokenEvents counters = TokenEvents.NONE;

        @Override
        public void refreshStarted(String user) {
            counters.refreshStarted(user);
        }

        @Override
        public void refreshed(String user, boolean rotated) {
            counters.refreshed(user, rotated);
        }

        @Override
        public void refreshFailed(String user, OAuthException.Kind kind) {
            counters.refreshFailed(user, kind);
        }

        @Override
        public void refusedWithoutAsking(String user, OAuthException.Kind kind) {
            counters.refusedWithoutAsking(user, kind);
        }
    }
}
