package org.popbridge.proxy.config;

import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.Verdict;

/** Test filter {@code test-stamp}: adds {@code header: value} to every message and says so, with the message's size. */
public final class StampFilterProvider implements FilterProvider {

    @Override
    public String name() {
        return "test-stamp";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("header", "value");
        String header = settings.string("header");
        String value = settings.string("value", "stamped");
        return (MessageFilterFactory) message -> headers -> {
            headers.add(header, value);
            return Verdict.deliver("added " + header + " to a message of " + message.size() + " octets").now();
        };
    }
}
