package org.popbridge.filters.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** {@code { any: [...] }}: at least one of the conditions holds. */
public record AnyOf(List<Condition> conditions) implements Condition {

    public AnyOf {
        conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (Condition condition : conditions) {
            if (condition.test(headers, message, deadline)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return conditions.stream().map(Condition::toString).collect(Collectors.joining("; ", "any of (", ")"));
    }
}
