package org.popbridge.filters.rules;

/**
 * A rule ran past its message's {@link Deadline}, as a regex with catastrophic backtracking
 * does. The filter fails on that message and the chain skips it (fail-open).
 */
public final class RuleOverrunException extends RuntimeException {

    /** @param message which rule overran, and its budget */
    public RuleOverrunException(String message) {
        super(message);
    }
}
