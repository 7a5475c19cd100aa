package org.popbridge.filters.builtin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;

/** The {@code spam-tag} filter: scores messages by rules and tags those at or over a threshold (docs/FILTERS.md). */
public final class SpamTagProvider implements FilterProvider {

    @Override
    public String name() {
        return "spam-tag";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("threshold", "rules", "tag");
        BigDecimal threshold = settings.number("threshold");
        if (!settings.has("rules")) {
            throw settings.problem("rules", "is required");
        }
        List<FilterSettings> sections = settings.sections("rules");
        if (sections.isEmpty()) {
            throw settings.problem("rules", "is empty; give at least one rule");
        }
        List<ScoreRule> rules = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < sections.size(); i++) {
            ScoreRule rule = ScoreRule.parse(sections.get(i));
            Integer before = seen.putIfAbsent(rule.name(), i);
            if (before != null) {
                throw sections.get(i).problem("name", "\"" + rule.name() + "\" is already the name of rule " + before);
            }
            rules.add(rule);
        }
        return new SpamTagFilter(threshold, rules, SpamTag.parse(settings.section("tag")));
    }
}
