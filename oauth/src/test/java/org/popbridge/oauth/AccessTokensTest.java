package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.oauth.Outcomes.failure;
import static org.popbridge.oauth.Outcomes.value;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.oauth.OAuthException.Kind;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;

class AccessTokensTest {
    private static final StoreKey PASSWORD = new StoreKey.LocalPassword("printer-pw");

    @TempDir
    Path state;
    private final MutableClock clock = MutableClock.startingAt("2025-03-01T08:00:00Z");
    private final Counting events = new Counting();
    private StandInIdentityProvider idp;
    private OAuthProvider provider;
    private TokenStore store;
    private AccessTokens tokens;

    /** Counts what AccessTokens reports, as the proxy's meters would. */
    static final class Counting implements TokenEvents {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger refreshed = new AtomicInteger();
        final AtomicInteger rotated = new AtomicInteger();
        final Map<Kind, AtomicInteger> failed = new ConcurrentHashMap<>();
        final Map<Kind, AtomicInteger> refused = new ConcurrentHashMap<>();

        @Override
        public void refreshStarted(String user) {
            started.incrementAndGet();
        }

        @Override
        public void refreshed(String user, boolean rotatedToken) {
            refreshed.incrementAndGet();
            if (rotatedToken) {
                rotated.incrementAndGet();
            }
        }

        @Override
        public void refreshFailed(String user, Kind kind) {
            failed.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void refusedWithoutAsking(String user, Kind kind) {
            refused.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        int failed(Kind kind) {
            return failed.getOrDefault(kind, new AtomicInteger()).get();
        }

        int refused(Kind kind) {
            return refused.getOrDefault(kind, new AtomicInteger()).get();
        }
    }

    @BeforeEach
    void start() throws Exception {
        idp = StandInIdentityProvider.start(clock);
        provider = idp.provider();
        store = new TokenStore(state.resolve("oauth"), TokenStoreTest.CHEAP, Duration.ofMinutes(10), clock);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        OAuthClient client = new OAuthClient(http, clock, Duration.ofSeconds(10), new RecordingPause(clock), new SecureRandom());
        // The rotated token is written on the completing thread: the test sees it written when the future completes.
        tokens = new AccessTokens(client, store, Runnable::run, clock, events, RefreshPolicy.DEFAULT);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private UnlockedGrant enrol(String user) throws Exception {
        store.enrol(user, PASSWORD, Enrolment.delegated(provider.id(), user + "@example.com", idp.issueRefreshToken(user)));
        return store.unlock(user, PASSWORD).orElseThrow();
    }

    @Test
    void fiftySessionsLoggingInAtOnceCauseOneRefresh() throws Exception {
        UnlockedGrant grant = enrol("scanner");
        idp.hold();
        ExecutorService sessions = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CompletableFuture<AccessToken>>> asked = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                asked.add(sessions.submit(() -> {
                    go.await();
                    return tokens.get(provider, grant);
                }));
            }
            go.countDown();
            List<CompletableFuture<AccessToken>> answers = new ArrayList<>();
            for (Future<CompletableFuture<AccessToken>> f : asked) {
                answers.add(f.get(20, TimeUnit.SECONDS));
            }
            idp.release();

            List<String> values = new ArrayList<>();
            for (CompletableFuture<AccessToken> answer : answers) {
                values.add(value(answer).value());
            }
            assertThat(values).hasSize(50).containsOnly(values.get(0));
            assertThat(idp.isActive(values.get(0))).isTrue();
            assertThat(idp.grants("scanner", "refresh_token")).isEqualTo(1);
            assertThat(events.started).hasValue(1);
        } finally {
            idp.release();
            sessions.shutdownNow();
        }
    }

    @Test
    void aFreshTokenIsServedFromMemory() throws Exception {
        UnlockedGrant grant = enrol("alice");
        AccessToken first = value(tokens.get(provider, grant));
        clock.advance(Duration.ofMinutes(30));

        assertThat(value(tokens.get(provider, grant))).isEqualTo(first);
        assertThat(idp.tokenRequests()).isEqualTo(1);
    }

    @Test
    void aTokenIsRefreshedAheadOfExpiryWhileTheOldOneIsStillServed() throws Exception {
        UnlockedGrant grant = enrol("alice");
        AccessToken first = value(tokens.get(provider, grant));
        clock.advance(Duration.ofMinutes(54));
        assertThat(value(tokens.get(provider, grant))).isEqualTo(first);
        assertThat(idp.tokenRequests()).isEqualTo(1);

        // Less than five minutes left: the caller gets the old token at once, a refresh starts.
        clock.advance(Duration.ofMinutes(2));
        idp.hold();
        CompletableFuture<AccessToken> during = tokens.get(provider, grant);
        assertThat(during).isCompletedWithValue(first);
        idp.release();
        awaitRefreshes(2);

        AccessToken second = value(tokens.get(provider, grant));
        assertThat(second).isNotEqualTo(first);
        assertThat(second.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(idp.grants("alice", "refresh_token")).isEqualTo(2);
    }

    @Test
    void aShortLivedTokenIsRefreshedInItsLastTenth() throws Exception {
        idp.setAccessTokenLifetime(Duration.ofMinutes(10));
        UnlockedGrant grant = enrol("alice");
        value(tokens.get(provider, grant));
        clock.advance(Duration.ofMinutes(8));
        value(tokens.get(provider, grant));
        assertThat(idp.tokenRequests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        value(tokens.get(provider, grant));
        awaitRefreshes(2);
        assertThat(idp.grants("alice", "refresh_token")).isEqualTo(2);
    }

    @Test
    void anExpiredTokenIsReplacedBeforeTheCallerGetsOne() throws Exception {
        UnlockedGrant grant = enrol("alice");
        AccessToken first = value(tokens.get(provider, grant));
        clock.advance(Duration.ofHours(2));

        AccessToken second = value(tokens.get(provider, grant));

        assertThat(second).isNotEqualTo(first);
        assertThat(idp.isActive(second.value())).isTrue();
    }

    @Test
    void aRotatedRefreshTokenIsUsedNextAndStored() throws Exception {
        UnlockedGrant grant = enrol("alice");
        String original = grant.refreshToken().orElseThrow();
        value(tokens.get(provider, grant));
        assertThat(idp.isRefreshTokenValid(original)).isFalse();

        // A later login unlocks the store again: it opens the rotated token.
        UnlockedGrant later = store.unlock("alice", PASSWORD).orElseThrow();
        assertThat(later.refreshToken()).isPresent().get().isNotEqualTo(original);
        assertThat(idp.isRefreshTokenValid(later.refreshToken().get())).isTrue();
        UnlockedGrant fromDisk = new TokenStore(state.resolve("oauth"), TokenStoreTest.CHEAP, Duration.ofMinutes(10), clock)
                .unlock("alice", PASSWORD).orElseThrow();
        assertThat(fromDisk.refreshToken()).isEqualTo(later.refreshToken());
        // And the next refresh, with the login's stale grant object, uses the rotated token.
        clock.advance(Duration.ofHours(2));
        assertThat(idp.isActive(value(tokens.get(provider, grant)).value())).isTrue();
        assertThat(events.rotated).hasValue(2);
    }

    @Test
    void temporaryFailuresBackOffExponentiallyAndCallersFailFast() throws Exception {
        UnlockedGrant grant = enrol("alice");
        idp.failNext(503);

        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(idp.tokenRequests()).isEqualTo(1);
        // During the first backoff (5 s) callers fail without asking the provider.
        clock.advance(Duration.ofSeconds(4));
        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(idp.tokenRequests()).isEqualTo(1);
        assertThat(events.refused(Kind.TEMPORARY)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        idp.failNext(502);
        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(idp.tokenRequests()).isEqualTo(2);
        // Second failure: 10 s.
        clock.advance(Duration.ofSeconds(9));
        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(idp.tokenRequests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(idp.isActive(value(tokens.get(provider, grant)).value())).isTrue();
        assertThat(events.failed(Kind.TEMPORARY)).isEqualTo(2);
        // Success resets the backoff.
        idp.failNext(503);
        clock.advance(Duration.ofHours(2));
        failure(tokens.get(provider, grant));
        clock.advance(Duration.ofSeconds(5));
        assertThat(value(tokens.get(provider, grant))).isNotNull();
    }

    @Test
    void backoffIsCapped() {
        RefreshPolicy policy = RefreshPolicy.DEFAULT;

        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aTokenStillValidIsServedWhileARefreshBacksOff() throws Exception {
        UnlockedGrant grant = enrol("alice");
        AccessToken first = value(tokens.get(provider, grant));
        clock.advance(Duration.ofMinutes(56));
        idp.failNext(503);
        assertThat(value(tokens.get(provider, grant))).isEqualTo(first);
        awaitFailures(Kind.TEMPORARY, 1);

        assertThat(value(tokens.get(provider, grant))).isEqualTo(first);
        assertThat(idp.tokenRequests()).isEqualTo(2);
    }

    @Test
    void aRevokedRefreshTokenIsNotRetried() throws Exception {
        UnlockedGrant grant = enrol("alice");
        idp.revokeUser("alice");

        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.INVALID_GRANT);
        clock.advance(Duration.ofHours(1));
        assertThat(failure(tokens.get(provider, grant)).kind()).isEqualTo(Kind.INVALID_GRANT);

        assertThat(idp.tokenRequests()).isEqualTo(1);
        assertThat(events.failed(Kind.INVALID_GRANT)).isEqualTo(1);
        assertThat(events.refused(Kind.INVALID_GRANT)).isEqualTo(1);
        // Enrolled again: a new grant starts afresh.
        UnlockedGrant again = enrol("alice");
        assertThat(idp.isActive(value(tokens.get(provider, again)).value())).isTrue();
    }

    @Test
    void aServiceAccountUsesClientCredentials() throws Exception {
        StoreKey.MasterKey master = new StoreKey.MasterKey(new byte[32]);
        store.enrol("scanner", master, Enrolment.serviceAccount(provider.id(), "scans@example.com"));
        UnlockedGrant grant = store.unlock("scanner", master).orElseThrow();

        AccessToken token = value(tokens.get(provider, grant));

        assertThat(idp.isActive(token.value())).isTrue();
        assertThat(idp.grants(StandInIdentityProvider.CLIENT_ID, "client_credentials")).isEqualTo(1);
    }

    @Test
    void aGrantFromAnotherProviderIsRefused() throws Exception {
        UnlockedGrant grant = enrol("alice");
        OAuthProvider google = OAuthProvider.google("id", Optional.empty());

        assertThat(failure(tokens.get(google, grant)).kind()).isEqualTo(Kind.INVALID_CLIENT);
        assertThat(idp.tokenRequests()).isZero();
    }

    /** A refresh ahead of expiry completes in the background; the test waits for its count. */
    private void awaitRefreshes(int count) throws InterruptedException {
        for (int i = 0; i < 2000 && events.refreshed.get() < count; i++) {
            Thread.sleep(5);
        }
        assertThat(events.refreshed).hasValue(count);
    }

    private void awaitFailures(Kind kind, int count) throws InterruptedException {
        for (int i = 0; i < 2000 && events.failed(kind) < count; i++) {
            Thread.sleep(5);
        }
        assertThat(events.failed(kind)).isEqualTo(count);
    }
}
