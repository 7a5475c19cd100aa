package org.popbridge.filters.builtin;

import java.util.Objects;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.rules.Conditions;
import org.popbridge.filters.rules.Condition;

/** A rule of the {@code headers} filter: edits made only when a condition holds. */
public record HeaderRule(Condition when, HeaderEdits edits) {

    public HeaderRule {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(edits, "edits");
    }

    /** Reads one rule: {@code when} and at least one edit. */
    static HeaderRule parse(FilterSettings rule) {
        rule.allowOnly("when", "remove", "rename", "set", "add");
        Condition when = Conditions.parse(rule.section("when"));
        HeaderEdits edits = HeaderEdits.parse(rule);
        if (edits.isEmpty()) {
            throw rule.problem("has no edit; give remove, rename, set or add");
        }
        return new HeaderRule(when, edits);
    }
}
