package org.popbridge.filters.builtin;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the {@code spam-tag} rules made of one message: the rules that hit, in config order, and
 * their total against the threshold.
 */
public record SpamScore(List<ScoreRule> hits, BigDecimal threshold) {

    public SpamScore {
        hits = List.copyOf(hits);
    }

    /** The sum of the scores of the rules that hit; 0 if none did. */
    public BigDecimal total() {
        return hits.stream().map(ScoreRule::score).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Whether the total reaches the threshold, so the message is tagged. */
    public boolean tagged() {
        return total().compareTo(threshold) >= 0;
    }

    /** The names of the rules that hit, comma-separated, for {@code ${rules}}. */
    public String ruleNames() {
        return hits.stream().map(ScoreRule::name).collect(Collectors.joining(","));
    }

    /** The finding, such as {@code score 16 (threshold 5): upstream-says-spam +10, blocked-sender +6; tagged}. */
    public String finding() {
        String rules = hits.isEmpty() ? "no rule hit"
                : hits.stream().map(rule -> rule.name() + " " + Scores.signed(rule.score())).collect(Collectors.joining(", "));
        return "score " + Scores.plain(total()) + " (threshold " + Scores.plain(threshold) + "): " + rules
                + (tagged() ? "; tagged" : "; not tagged");
    }
}
