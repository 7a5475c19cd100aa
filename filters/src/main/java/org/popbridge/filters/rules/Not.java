package org.popbridge.filters.rules;

import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** {@code { not: {...} }}: the condition does not hold. */
public record Not(Condition condition) implements Condition {

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        return !condition.test(headers, message, deadline);
    }

    @Override
    public String toString() {
        return "not (" + condition + ")";
    }
}
