package org.popbridge.filters.rules;

import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { header: List-Id, exists: true }}: the header is present (or, with {@code false},
 * absent), whatever its value.
 */
public record HeaderExists(String header, boolean present) implements Condition {

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        return headers.first(header).isPresent() == present;
    }

    @Override
    public String toString() {
        return "header " + header + (present ? " exists" : " is absent");
    }
}
