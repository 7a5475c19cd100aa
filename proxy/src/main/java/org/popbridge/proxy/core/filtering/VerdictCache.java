package org.popbridge.proxy.core.filtering;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.popbridge.proxy.core.metrics.CacheLookups;

/**
 * Chain outcomes per upstream, user and UIDL, shared by every session: TOP then RETR, and the
 * next session of the same user, reuse the outcome instead of running the chain again. Bounded
 * by the octets it holds and by age. Every lookup is counted, found or not, for the metrics.
 */
public final class VerdictCache {

    private final Cache<MessageKey, CachedVerdict> cache;
    private final CacheLookups lookups;

    public VerdictCache(long maxOctets, Duration expireAfter) {
        this(maxOctets, expireAfter, CacheLookups.NONE);
    }

    public VerdictCache(long maxOctets, Duration expireAfter, CacheLookups lookups) {
        this.lookups = lookups;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxOctets)
                .weigher((MessageKey key, CachedVerdict verdict) ->
                        verdict.weight() + key.uidl().length() + key.user().length() + key.upstream().length())
                .expireAfterWrite(expireAfter)
                .build();
    }

    /** The outcome for this message if it was made for this very header block. */
    Optional<CachedVerdict> find(MessageKey key, HeaderFingerprint headers) {
        CachedVerdict verdict = cache.getIfPresent(key);
        boolean hit = verdict != null && verdict.original().equals(headers);
        lookups.lookedUp(hit);
        return hit ? Optional.of(verdict) : Optional.empty();
    }

    /** The outcome for this message, whatever header block it was made for: enough for LIST sizes and hiding. */
    Optional<CachedVerdict> find(MessageKey key) {
        CachedVerdict verdict = cache.getIfPresent(key);
        lookups.lookedUp(verdict != null);
        return Optional.ofNullable(verdict);
    }

    void put(MessageKey key, CachedVerdict verdict) {
        cache.put(key, verdict);
    }

    /** How many outcomes are held now, for tests and metrics. */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
