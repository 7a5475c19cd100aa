package org.popbridge.filters.rules;

import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * A test on one message, read from the config by {@link Conditions#parse}. Immutable and
 * thread-safe, so one condition serves every session. Its {@code toString()} is how it reads in
 * findings and logs, such as {@code header Subject regex (?i)lottery}.
 */
public sealed interface Condition
        permits HeaderIs, HeaderContains, HeaderRegex, HeaderExists, HeaderNumber, AddressCondition, SizeCondition,
        AnyOf, AllOf, Not {

    /**
     * Whether the message matches.
     *
     * @param deadline when the rules for this message must give up; a regex still running then
     *                 throws {@link RuleOverrunException}
     */
    boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline);

    /** Whether the message matches, within the default {@link Deadline#RULE_BUDGET}. */
    default boolean test(HeaderBlock headers, MessageInfo message) {
        return test(headers, message, Deadline.after(Deadline.RULE_BUDGET));
    }
}
