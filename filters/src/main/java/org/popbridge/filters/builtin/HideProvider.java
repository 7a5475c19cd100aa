package org.popbridge.filters.builtin;

import java.util.List;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.rules.Conditions;

/** The {@code hide} filter: keeps matching messages from the client, leaving them upstream (docs/FILTERS.md). */
public final class HideProvider implements FilterProvider {

    @Override
    public String name() {
        return "hide";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("when", "rules");
        if (settings.has("when") && settings.has("rules")) {
            throw settings.problem("rules", "give when or rules, not both");
        }
        if (settings.has("when")) {
            return new HideFilter(List.of(Conditions.parse(settings.section("when"))));
        }
        if (!settings.has("rules")) {
            throw settings.problem("needs when (one condition) or rules (a list of conditions, any of which hides)");
        }
        List<FilterSettings> rules = settings.sections("rules");
        if (rules.isEmpty()) {
            throw settings.problem("rules", "is empty; give at least one condition");
        }
        return new HideFilter(rules.stream().map(Conditions::parse).toList());
    }
}
