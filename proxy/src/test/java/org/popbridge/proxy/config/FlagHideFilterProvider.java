package org.popbridge.proxy.config;

import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;

/** Test filter {@code test-flag-hide}: hides a message that has the header {@code flag} (default X-Hide). */
public final class FlagHideFilterProvider implements FilterProvider {

    @Override
    public String name() {
        return "test-flag-hide";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("flag");
        String flag = settings.string("flag", "X-Hide");
        return new MessageFilterFactory() {
            @Override
            public MessageFilter forMessage(MessageInfo message) {
                return headers -> (headers.first(flag).isPresent() ? Verdict.hide("flagged by " + flag)
                        : Verdict.deliver()).now();
            }

            @Override
            public boolean mayHide() {
                return true;
            }
        };
    }
}
