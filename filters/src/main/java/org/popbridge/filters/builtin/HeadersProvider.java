package org.popbridge.filters.builtin;

import java.util.List;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;

/** The {@code headers} filter: removes, renames, sets and adds header fields, always or by rule (docs/FILTERS.md). */
public final class HeadersProvider implements FilterProvider {

    @Override
    public String name() {
        return "headers";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("remove", "rename", "set", "add", "rules");
        HeaderEdits always = HeaderEdits.parse(settings);
        if (settings.has("rules") && settings.sections("rules").isEmpty()) {
            throw settings.problem("rules", "is empty; give at least one rule");
        }
        List<HeaderRule> rules = settings.sections("rules").stream().map(HeaderRule::parse).toList();
        if (always.isEmpty() && rules.isEmpty()) {
            throw settings.problem("has nothing to do; give remove, rename, set, add or rules");
        }
        return new HeadersFilter(always, rules);
    }
}
