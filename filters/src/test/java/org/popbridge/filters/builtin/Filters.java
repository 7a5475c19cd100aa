package org.popbridge.filters.builtin;

import java.util.Map;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;

/** Test shorthand: configure a built-in filter as the first of the chain, and run it on one message. */
final class Filters {

    private Filters() {}

    static ConfiguredFilter configure(FilterProvider provider, Map<String, Object> settings) {
        return provider.configure(FilterSettings.of(settings, "/filters/0/" + provider.name()));
    }

    /** Runs the filter on {@code headers} (editing them) for a message of {@code size} octets. */
    static Verdict run(ConfiguredFilter filter, HeaderBlock headers, long size) {
        return ((MessageFilterFactory) filter).forMessage(MessageInfo.offline(size)).headers(headers)
                .toCompletableFuture().join();
    }
}
