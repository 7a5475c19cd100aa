package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The {@code filtering.cache:} block as written; {@link FilteringConfig} keeps its values.
 *
 * @param size the most octets of header blocks the verdict cache holds
 * @param expireAfter how long a verdict is kept after it was made
 */
record VerdictCacheConfig(long size, Duration expireAfter) {

    static final long DEFAULT_SIZE = 64L << 20;
    static final Duration DEFAULT_EXPIRE_AFTER = Duration.ofHours(24);
    // Below this the cache could not hold one session's worth of verdicts, which LIST sizes
    // and hidden messages are answered from.
    static final long MIN_SIZE = 1L << 20;

    @JsonCreator
    static VerdictCacheConfig of(
            @JsonProperty("size") String size,
            @JsonProperty("expire-after") Duration expireAfter) {
        long octets = DEFAULT_SIZE;
        if (size != null) {
            octets = FilteringConfig.size(size, "size");
            if (octets < MIN_SIZE) {
                throw new SettingException("size", "must be at least " + ByteSizes.format(MIN_SIZE) + ", got " + size);
            }
        }
        return new VerdictCacheConfig(octets, UpstreamConfig.positive(expireAfter, DEFAULT_EXPIRE_AFTER, "expire-after"));
    }

    static VerdictCacheConfig defaults() {
        return new VerdictCacheConfig(DEFAULT_SIZE, DEFAULT_EXPIRE_AFTER);
    }
}
