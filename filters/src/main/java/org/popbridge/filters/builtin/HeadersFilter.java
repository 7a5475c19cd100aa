package org.popbridge.filters.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.popbridge.filters.Direction;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.filters.rules.Deadline;

/**
 * The configured {@code headers} filter: its unconditional edits, then the edits of each rule
 * whose condition holds. Every condition is tested on the headers as they reach this filter,
 * before any of its own edits, so the rules do not depend on each other's order.
 */
public final class HeadersFilter implements MessageFilterFactory {

    private final HeaderEdits always;
    private final List<HeaderRule> rules;
    private final Duration budget;

    /** A filter whose rules have the default {@link Deadline#RULE_BUDGET} per message. */
    public HeadersFilter(HeaderEdits always, List<HeaderRule> rules) {
        this(always, rules, Deadline.RULE_BUDGET);
    }

    /** A filter whose rules may take {@code budget} on one message; past it the filter fails on that message. */
    public HeadersFilter(HeaderEdits always, List<HeaderRule> rules, Duration budget) {
        this.always = Objects.requireNonNull(always, "always");
        this.rules = List.copyOf(rules);
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Edits headers of mail read and of mail sent alike; acts on mail read unless {@code direction:} says otherwise. */
    @Override
    public Set<Direction> directions() {
        return Direction.both();
    }

    @Override
    public MessageFilter forMessage(MessageInfo message) {
        return headers -> {
            Deadline deadline = Deadline.after(budget);
            List<HeaderRule> hits = new ArrayList<>();
            for (HeaderRule rule : rules) {
                if (rule.when().test(headers, message, deadline)) {
                    hits.add(rule);
                }
            }
            List<String> done = new ArrayList<>(always.applyTo(headers));
            for (HeaderRule rule : hits) {
                for (String edit : rule.edits().applyTo(headers)) {
                    done.add(edit + " (when " + rule.when() + ")");
                }
            }
            return new Verdict(Verdict.Action.DELIVER, done).now();
        };
    }
}
