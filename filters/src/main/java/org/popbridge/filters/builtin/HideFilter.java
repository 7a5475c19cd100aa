package org.popbridge.filters.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.filters.rules.Condition;
import org.popbridge.filters.rules.Deadline;

/**
 * The configured {@code hide} filter: hides a message from the client when any of its conditions
 * holds. The message stays upstream untouched; the headers are never edited.
 */
public final class HideFilter implements MessageFilterFactory {

    private final List<Condition> conditions;
    private final Duration budget;

    /** A filter whose conditions have the default {@link Deadline#RULE_BUDGET} per message. */
    public HideFilter(List<Condition> conditions) {
        this(conditions, Deadline.RULE_BUDGET);
    }

    /** A filter whose conditions may take {@code budget} on one message; past it the filter fails on that message. */
    public HideFilter(List<Condition> conditions, Duration budget) {
        this.conditions = List.copyOf(conditions);
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public MessageFilter forMessage(MessageInfo message) {
        return headers -> {
            Deadline deadline = Deadline.after(budget);
            for (Condition condition : conditions) {
                if (condition.test(headers, message, deadline)) {
                    return Verdict.hide("matched " + condition).now();
                }
            }
            return Verdict.deliver().now();
        };
    }

    @Override
    public boolean mayHide() {
        return true;
    }
}
