package org.popbridge.filters.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** {@code { all: [...] }}: every one of the conditions holds. */
public record AllOf(List<Condition> conditions) implements Condition {

    public AllOf {
        conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (Condition condition : conditions) {
            if (!condition.test(headers, message, deadline)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return conditions.stream().map(Condition::toString).collect(Collectors.joining("; ", "all of (", ")"));
    }
}
