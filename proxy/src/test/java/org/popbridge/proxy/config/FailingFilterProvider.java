package org.popbridge.proxy.config;

import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;

/**
 * Test filter {@code test-fail}: throws on every message, or, with {@code when: configure},
 * while it is configured, as a provider with a bug would.
 */
public final class FailingFilterProvider implements FilterProvider {

    @Override
    public String name() {
        return "test-fail";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("when");
        if (settings.string("when", "headers").equals("configure")) {
            throw new IllegalStateException("broken provider");
        }
        return (MessageFilterFactory) message -> headers -> {
            throw new IllegalStateException("broken on purpose");
        };
    }
}
