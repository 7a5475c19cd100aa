package org.popbridge.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import org.popbridge.filters.ChainObserver;
import org.popbridge.filters.FilterDecision;
import org.popbridge.proxy.core.metrics.CacheLookups;

/**
 * The filters' meters: each filter's verdicts and the time it took, labelled by its name in the
 * config, and the verdict cache's lookups, found or not.
 */
final class FilterMeters implements ChainObserver, CacheLookups {

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;

    FilterMeters(MeterRegistry registry) {
        this.registry = registry;
        this.hits = Counter.builder("popbridge.verdict.cache.lookups").description("Verdict cache lookups")
                .tag("result", "hit").register(registry);
        this.misses = Counter.builder("popbridge.verdict.cache.lookups").description("Verdict cache lookups")
                .tag("result", "miss").register(registry);
    }

    @Override
    public void decided(FilterDecision decision) {
        Counter.builder("popbridge.filter.verdicts").description("Filter decisions on message headers")
                .tag("filter", decision.filter())
                .tag("verdict", decision.outcome().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        Timer.builder("popbridge.filter.duration").description("Time a filter took to decide on message headers")
                .tag("filter", decision.filter())
                .register(registry).record(decision.took());
    }

    @Override
    public void lookedUp(boolean hit) {
        (hit ? hits : misses).increment();
    }
}
