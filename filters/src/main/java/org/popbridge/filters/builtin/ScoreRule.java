package org.popbridge.filters.builtin;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.rules.Condition;
import org.popbridge.filters.rules.Conditions;

/**
 * One rule of the {@code spam-tag} filter: a name, the score it adds when it hits (negative to
 * vouch for a message), and its condition.
 */
public record ScoreRule(String name, BigDecimal score, Condition condition) {

    // Names end up in the X-Spam-Rules header, comma-separated, so they must be plain tokens.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public ScoreRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(condition, "condition");
    }

    /** Reads one rule: {@code name}, {@code score}, and the condition in the remaining keys. */
    static ScoreRule parse(FilterSettings rule) {
        String name = rule.string("name");
        if (!NAME.matcher(name).matches()) {
            throw rule.problem("name", "must be letters, digits, '.', '_' and '-' only, not \"" + name + "\"");
        }
        BigDecimal score = rule.number("score");
        return new ScoreRule(name, score, Conditions.parse(rule, Set.of("name", "score")));
    }
}
