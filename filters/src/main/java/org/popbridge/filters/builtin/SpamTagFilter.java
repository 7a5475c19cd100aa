package org.popbridge.filters.builtin;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.popbridge.filters.Direction;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.filters.rules.Deadline;

/**
 * The configured {@code spam-tag} filter: scores each message by its rules and tags it at or over
 * the threshold. It reads only the headers and the LIST size and decides at once, so TOP and RETR
 * of a message tag it the same way.
 */
public final class SpamTagFilter implements MessageFilterFactory {

    private final BigDecimal threshold;
    private final List<ScoreRule> rules;
    private final SpamTag tag;
    private final Duration budget;

    /** A filter whose rules have the default {@link Deadline#RULE_BUDGET} per message. */
    public SpamTagFilter(BigDecimal threshold, List<ScoreRule> rules, SpamTag tag) {
        this(threshold, rules, tag, Deadline.RULE_BUDGET);
    }

    /** A filter whose rules may take {@code budget} on one message; past it the filter fails on that message. */
    public SpamTagFilter(BigDecimal threshold, List<ScoreRule> rules, SpamTag tag, Duration budget) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.rules = List.copyOf(rules);
        this.tag = Objects.requireNonNull(tag, "tag");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Scores mail read and mail sent alike; acts on mail read unless {@code direction:} says otherwise. */
    @Override
    public Set<Direction> directions() {
        return Direction.both();
    }

    @Override
    public MessageFilter forMessage(MessageInfo message) {
        return headers -> {
            SpamScore score = score(headers, message);
            if (score.tagged()) {
                tag.apply(headers, score);
            }
            return Verdict.deliver(score.finding()).now();
        };
    }

    /** Runs every rule on the message as it came, before any tagging. */
    SpamScore score(HeaderBlock headers, MessageInfo message) {
        Deadline deadline = Deadline.after(budget);
        List<ScoreRule> hits = new ArrayList<>();
        for (ScoreRule rule : rules) {
            if (rule.condition().test(headers, message, deadline)) {
                hits.add(rule);
            }
        }
        return new SpamScore(hits, threshold);
    }
}
