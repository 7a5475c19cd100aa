package org.popbridge.filters.builtin;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;

/** The {@code rate-limit} filter: at most so many messages per user in a given time (docs/FILTERS.md). */
public final class RateLimitProvider implements FilterProvider {

    /** The most messages a limit may allow: beyond that it does not limit anything. */
    static final int MAX_MESSAGES = 1_000_000;
    // Below a second the clock's resolution and SMTP round trips make the limit meaningless.
    private static final Duration MIN_PER = Duration.ofSeconds(1);
    // A year of nanoseconds still fits the buckets' arithmetic with room to spare.
    private static final Duration MAX_PER = Duration.ofDays(365);

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        return configure(settings, System::nanoTime);
    }

    /** As {@link #configure(FilterSettings)}, with the clock the buckets refill by. */
    ConfiguredFilter configure(FilterSettings settings, LongSupplier nanos) {
        settings.allowOnly("messages", "per");
        BigDecimal messages = settings.number("messages");
        if (messages.signum() <= 0 || messages.stripTrailingZeros().scale() > 0
                || messages.compareTo(BigDecimal.valueOf(MAX_MESSAGES)) > 0) {
            throw settings.problem("messages", "must be a whole number from 1 to " + MAX_MESSAGES + ", not \""
                    + settings.string("messages") + "\"");
        }
        Duration per = settings.duration("per");
        if (per.compareTo(MIN_PER) < 0) {
            throw settings.problem("per", "must be at least 1s, not \"" + settings.string("per") + "\"");
        }
        if (per.compareTo(MAX_PER) > 0) {
            throw settings.problem("per", "must be at most 365d, not \"" + settings.string("per") + "\"");
        }
        return new RateLimit(messages.intValueExact(), per, settings.string("per").strip(), nanos);
    }
}
