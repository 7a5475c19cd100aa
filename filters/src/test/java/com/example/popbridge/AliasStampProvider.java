package com.example.popbridge;

import java.util.Locale;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.Verdict;

/** Marks mail sent to a shared alias, so a legacy client's rules can sort it. (The README's example.) */
public final class AliasStampProvider implements FilterProvider {

    @Override
    public String name() {
        return "alias-stamp";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("alias", "header");
        String alias = settings.string("alias").toLowerCase(Locale.ROOT);
        String header = settings.string("header", "X-Alias");
        return (MessageFilterFactory) message -> headers -> {
            boolean toAlias = headers.all("To").stream()
                    .anyMatch(to -> to.toLowerCase(Locale.ROOT).contains(alias));
            if (toAlias) {
                headers.set(header, alias);
            }
            return (toAlias ? Verdict.deliver("sent to " + alias) : Verdict.deliver()).now();
        };
    }
}
