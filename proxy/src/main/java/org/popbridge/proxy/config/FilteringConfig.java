package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;

/**
 * How the filter chain runs, as configured under {@code filtering:}.
 *
 * @param onFailure what a filter that throws or overruns its budget does to the message
 * @param timeBudget what one filter may take on one message
 * @param headerLimit the longest header block, in octets, that is filtered; a longer one passes unchanged
 * @param scanAtLogin whether every message's headers are read at login (TOP n 0), so LIST sizes are exact
 * @param cacheSize the most octets of header blocks the verdict cache holds
 * @param cacheExpiry how long a cached verdict is kept
 */
public record FilteringConfig(FailurePolicy onFailure, Duration timeBudget, int headerLimit, boolean scanAtLogin,
                              long cacheSize, Duration cacheExpiry) {

    public static final int DEFAULT_HEADER_LIMIT = 256 * 1024;
    static final int MIN_HEADER_LIMIT = 1024;
    static final int MAX_HEADER_LIMIT = 16 * 1024 * 1024;

    public FilteringConfig {
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(timeBudget, "timeBudget");
        Objects.requireNonNull(cacheExpiry, "cacheExpiry");
    }

    /** Binds {@code filtering:}; sizes are written like 256KB or 64MB. */
    @JsonCreator
    public static FilteringConfig of(
            @JsonProperty("on-failure") String onFailure,
            @JsonProperty("time-budget") Duration timeBudget,
            @JsonProperty("header-limit") String headerLimit,
            @JsonProperty("scan-at-login") Boolean scanAtLogin,
            @JsonProperty("cache") VerdictCacheConfig cache) {
        VerdictCacheConfig settled = cache == null ? VerdictCacheConfig.defaults() : cache;
        return new FilteringConfig(
                policy(onFailure),
                UpstreamConfig.positive(timeBudget, FilterChain.DEFAULT_TIME_BUDGET, "time-budget"),
                headerLimit(headerLimit),
                scanAtLogin == null || scanAtLogin,
                settled.size(),
                settled.expireAfter());
    }

    /** Open, 5 s per filter, 256 KB headers, scan at login, a 64 MB cache kept 24 h. */
    public static FilteringConfig defaults() {
        return of(null, null, null, null, null);
    }

    private static FailurePolicy policy(String written) {
        if (written == null) {
            return FailurePolicy.OPEN;
        }
        return switch (written.strip().toLowerCase(Locale.ROOT)) {
            case "open" -> FailurePolicy.OPEN;
            case "closed" -> FailurePolicy.CLOSED;
            default -> throw new SettingException("on-failure", "must be open or closed, got '" + written + "'");
        };
    }

    private static int headerLimit(String written) {
        if (written == null) {
            return DEFAULT_HEADER_LIMIT;
        }
        long octets = size(written, "header-limit");
        if (octets < MIN_HEADER_LIMIT || octets > MAX_HEADER_LIMIT) {
            throw new SettingException("header-limit", "must be between " + ByteSizes.format(MIN_HEADER_LIMIT)
                    + " and " + ByteSizes.format(MAX_HEADER_LIMIT) + ", got " + written);
        }
        return (int) octets;
    }

    static long size(String written, String key) {
        try {
            return ByteSizes.parse(written);
        } catch (IllegalArgumentException e) {
            throw new SettingException(key, e.getMessage());
        }
    }
}
