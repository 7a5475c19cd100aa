package org.popbridge.proxy.config;

import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;

/** Test filter {@code test-keep}: accepts any settings and keeps them, so a test can see what a provider is given. */
public final class KeepSettingsFilterProvider implements FilterProvider {

    /** The configured filter: delivers every message untouched. */
    public record Kept(FilterSettings settings) implements MessageFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return headers -> Verdict.deliver().now();
        }
    }

    @Override
    public String name() {
        return "test-keep";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        return new Kept(settings);
    }
}
