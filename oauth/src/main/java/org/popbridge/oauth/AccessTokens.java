package org.popbridge.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.popbridge.oauth.OAuthException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens for unlocked users, kept in memory and refreshed ahead of expiry ({@link
 * RefreshPolicy}). However many sessions of a user ask at once, one refresh is in flight and all
 * share its outcome. A temporary failure makes the user back off, and callers without a usable
 * token fail fast with TEMPORARY until it ends; a refused refresh token (INVALID_GRANT) is not
 * retried: the user must be enrolled again. A rotated refresh token is used at once and written to
 * the {@link TokenStore} on the given executor. {@link #get} never blocks, so an event loop may call it.
 */
public final class AccessTokens {
    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

    private final OAuthClient client;
    private final TokenStore store;
    private final Executor storeWriter;
    private final Clock clock;
    private final TokenEvents events;
    private final RefreshPolicy policy;
    private final Cache<String, UserTokens> users;

    /** One user's tokens and refresh state; every field is guarded by the object's monitor. */
    private static final class UserTokens {
        UnlockedGrant grant;
        AccessToken token;
        CompletableFuture<AccessToken> inFlight;
        int failures;
        Instant retryAt;
        boolean needsEnrolment;

        UserTokens(UnlockedGrant grant) {
            this.grant = grant;
        }

        /** A grant from a newer enrolment replaces everything learnt about the old one. */
        void adopt(UnlockedGrant given) {
            if (!given.enrolmentId().equals(grant.enrolmentId())) {
                grant = given;
                token = null;
                inFlight = null;
                failures = 0;
                retryAt = null;
                needsEnrolment = false;
            }
        }
    }

    /** storeWriter runs the blocking write of a rotated refresh token; events receives the counts. */
    public AccessTokens(OAuthClient client, TokenStore store, Executor storeWriter, Clock clock, TokenEvents events,
            RefreshPolicy policy) {
        this.client = Objects.requireNonNull(client);
        this.store = Objects.requireNonNull(store);
        this.storeWriter = Objects.requireNonNull(storeWriter);
        this.clock = Objects.requireNonNull(clock);
        this.events = Objects.requireNonNull(events);
        this.policy = Objects.requireNonNull(policy);
        this.users = Caffeine.newBuilder()
                .maximumSize(policy.maxUsers())
                .expireAfterAccess(policy.idle())
                .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
                .build();
    }

    /**
     * A usable access token for the unlocked user: at once when one is cached, else when the one
     * refresh in flight ends. Pass the grant {@link TokenStore#unlock} gave at this login: a newer
     * enrolment (another salt) resets the user; for the same enrolment the refresh token known here,
     * possibly rotated since, is used. Fails with an {@link OAuthException} (INVALID_GRANT: enrol again;
     * TEMPORARY: backing off or the provider is unreachable; INVALID_CLIENT: the grant is from
     * another provider than the one given, or the configuration is wrong).
     */
    public CompletableFuture<AccessToken> get(OAuthProvider provider, UnlockedGrant grant) {
        if (!provider.id().equals(grant.providerId())) {
            return CompletableFuture.failedFuture(new OAuthException(Kind.INVALID_CLIENT, "user " + grant.user()
                    + " is enrolled with provider " + grant.providerId() + ", not " + provider.id()));
        }
        UserTokens state = users.get(grant.user(), user -> new UserTokens(grant));
        Instant now = clock.instant();
        AccessToken ready = null;
        CompletableFuture<AccessToken> waiting = null;
        CompletableFuture<AccessToken> started = null;
        UnlockedGrant used = null;
        OAuthException refusal = null;
        synchronized (state) {
            state.adopt(grant);
            AccessToken token = state.token;
            boolean usable = token != null && !token.isExpiredAt(now);
            boolean due = !usable || !now.isBefore(token.expiresAt().minus(policy.margin(token)));
            if (state.needsEnrolment) {
                refusal = new OAuthException(Kind.INVALID_GRANT, "the refresh token of user " + grant.user()
                        + " was refused; the user must be enrolled again");
            } else if (!due) {
                ready = token;
            } else if (state.inFlight != null) {
                ready = usable ? token : null;
                waiting = state.inFlight;
            } else if (state.retryAt != null && now.isBefore(state.retryAt)) {
                ready = usable ? token : null;
                refusal = new OAuthException(Kind.TEMPORARY, "refreshing the access token of user " + grant.user()
                        + " failed " + state.failures + " time(s); next try after " + state.retryAt);
            } else {
                started = new CompletableFuture<>();
                state.inFlight = started;
                used = state.grant;
                ready = usable ? token : null;
                waiting = started;
            }
        }
        if (started != null) {
            launch(provider, state, used, started);
        }
        if (ready != null) {
            return CompletableFuture.completedFuture(ready);
        }
        if (refusal != null) {
            events.refusedWithoutAsking(grant.user(), refusal.kind());
            return CompletableFuture.failedFuture(refusal);
        }
        // A copy, so that a caller cancelling its future cannot cancel everyone else's.
        return waiting.copy();
    }

    /** Drops what is known of a user (after a revoke), so the next request starts afresh. */
    public void forget(String user) {
        users.invalidate(user);
    }

    private void launch(OAuthProvider provider, UserTokens state, UnlockedGrant used,
            CompletableFuture<AccessToken> started) {
        events.refreshStarted(used.user());
        CompletableFuture<TokenGrant> call = used.kind() == GrantKind.DELEGATED
                ? client.refresh(provider, used.refreshToken().orElseThrow())
                : client.clientCredentials(provider);
        call.whenComplete((granted, failure) -> finish(state, used, started, granted, failure));
    }

    private void finish(UserTokens state, UnlockedGrant used, CompletableFuture<AccessToken> started,
            TokenGrant granted, Throwable failure) {
        String user = used.user();
        Instant now = clock.instant();
        OAuthException error = failure == null ? null : OAuthException.of(failure);
        Optional<String> rotated = Optional.empty();
        Instant retryAt = null;
        synchronized (state) {
            if (state.inFlight == started) {
                state.inFlight = null;
            }
            boolean current = state.grant.enrolmentId().equals(used.enrolmentId());
            if (current && error == null) {
                state.token = granted.accessToken();
                state.failures = 0;
                state.retryAt = null;
                if (used.kind() == GrantKind.DELEGATED && granted.refreshToken().isPresent()
                        && !granted.refreshToken().equals(used.refreshToken())) {
                    rotated = granted.refreshToken();
                    state.grant = used.withRefreshToken(rotated.get(), now);
                }
            } else if (current && error.kind() == Kind.INVALID_GRANT) {
                state.needsEnrolment = true;
                state.token = null;
            } else if (current) {
                state.failures++;
                state.retryAt = now.plus(policy.backoff(state.failures));
                retryAt = state.retryAt;
            }
        }
        if (error == null) {
            log.debug("new access token for user {}, valid until {}{}", user, granted.accessToken().expiresAt(),
                    rotated.isPresent() ? ", refresh token rotated" : "");
            rotated.ifPresent(token -> storeWriter.execute(() -> save(used, token)));
            events.refreshed(user, rotated.isPresent());
            started.complete(granted.accessToken());
            return;
        }
        if (error.kind() == Kind.INVALID_GRANT) {
            // INFO: the proxy says it once at WARN, with the command that enrols the user again.
            log.info("the identity provider refused the refresh token of user {}; the user must be enrolled again: {}",
                    user, error.getMessage());
        } else {
            log.warn("refreshing the access token of user {} failed ({}); next try after {}: {}", user, error.kind(),
                    retryAt, error.getMessage());
        }
        events.refreshFailed(user, error.kind());
        started.completeExceptionally(error);
    }

    private void save(UnlockedGrant used, String rotated) {
        try {
            if (store.replaceRefreshToken(used, rotated).isEmpty()) {
                log.info("did not store the rotated refresh token of user {}: the user was enrolled again or revoked",
                        used.user());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not store the rotated refresh token of user {}; it is kept in memory only: {}",
                    used.user(), e.getMessage());
        }
    }
}
