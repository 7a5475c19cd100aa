package org.popbridge.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.Verdict;

/**
 * Test filter {@code test-regex}: rules of {@code header} and {@code regex}, each reported when
 * it matches; its checks point deep into the settings, as spam-tag's do.
 */
public final class RegexRulesFilterProvider implements FilterProvider {

    private record Rule(String header, Pattern regex) {}

    @Override
    public String name() {
        return "test-regex";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("rules");
        List<Rule> rules = new ArrayList<>();
        for (FilterSettings rule : settings.sections("rules")) {
            rule.allowOnly("header", "regex");
            try {
                rules.add(new Rule(rule.string("header"), Pattern.compile(rule.string("regex"))));
            } catch (PatternSyntaxException e) {
                throw rule.problem("regex", "is not a regular expression: " + e.getDescription());
            }
        }
        return (MessageFilterFactory) message -> headers -> {
            List<String> hits = new ArrayList<>();
            for (Rule rule : rules) {
                if (headers.all(rule.header()).stream().anyMatch(value -> rule.regex().matcher(value).find())) {
                    hits.add(rule.header() + " matches " + rule.regex());
                }
            }
            return new Verdict(Verdict.Action.DELIVER, hits).now();
        };
    }
}
