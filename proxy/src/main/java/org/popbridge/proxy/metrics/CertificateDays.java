package org.popbridge.proxy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Days left before each served certificate expires (negative once expired), labelled by the
 * certificate file: read again at each scrape, so a reloaded or removed certificate shows as it is now.
 */
final class CertificateDays {

    private final MultiGauge gauge;
    private volatile Supplier<Map<String, Long>> daysLeft = Map::of;

    CertificateDays(MeterRegistry registry) {
        this.gauge = MultiGauge.builder("popbridge.certificate.days.left")
                .description("Days before a served certificate expires").register(registry);
    }

    void readFrom(Supplier<Map<String, Long>> source) {
        daysLeft = source;
    }

    void refresh() {
        gauge.register(daysLeft.get().entrySet().stream()
                .map(entry -> MultiGauge.Row.of(Tags.of("certificate", entry.getKey()), entry.getValue()))
                .toList(), true);
    }
}
