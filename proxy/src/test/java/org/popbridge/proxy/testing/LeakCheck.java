package org.popbridge.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class during which netty reported a buffer never released. The suite runs netty's
 * leak detector at paranoid (pom.xml), which on its own only logs; popbridge runs without it in
 * production (NettyProperties), so this is where a leak must be caught. The proxy module's
 * surefire configuration names {@link Recording} as netty's detector
 * ({@code io.netty.customResourceLeakDetector}), so it is in place before any test engine
 * (jqwik's runs first) makes a buffer; this extension runs after every Jupiter class
 * (junit-platform.properties turns on extension autodetection).
 *
 * <p>netty learns of a leak only when the collector has freed the buffer and a later allocation
 * looks, so after each class this collects and allocates; a report may still name a buffer an
 * earlier class made, which its access records show.
 */
public final class LeakCheck implements AfterAllCallback {

    private static final List<String> REPORTS = new ArrayList<>();

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> reports = collect();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " buffer(s) never released, reported by netty while "
                    + context.getDisplayName() + " ran:\n" + String.join("\n", reports));
        }
    }

    /** Collects, lets netty look for freed buffers, and returns (and forgets) what it reported since the last call. */
    public static List<String> collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(10);
            // Each tracked allocation first reports the buffers the collector found unreleased.
            ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
        synchronized (REPORTS) {
            List<String> reports = List.copyOf(REPORTS);
            REPORTS.clear();
            return reports;
        }
    }

    private static void record(String report) {
        synchronized (REPORTS) {
            REPORTS.add(report);
        }
    }

    /** netty's leak detector, also noting what it reports (netty builds it by name, through one of these constructors). */
    public static final class Recording<T> extends ResourceLeakDetector<T> {

        public Recording(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        public Recording(Class<?> resourceType, int samplingInterval, long maxActive) {
            this(resourceType, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + " never released" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + " never released (no records)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
