package org.popbridge.filters.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * When the rules for one message must give up. Rules run on the proxy's event loop, where a
 * runaway regex would stall every session of that loop; a regex matched against
 * {@link #guard(CharSequence)} is stopped once the deadline passes.
 */
public final class Deadline {

    /** How long the rules of one filter may take on one message: generous, as normal rules take microseconds. */
    public static final Duration RULE_BUDGET = Duration.ofSeconds(1);

    private final long expiresAt;
    private final Duration budget;

    private Deadline(long expiresAt, Duration budget) {
        this.expiresAt = expiresAt;
        this.budget = budget;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** The budget this deadline was set with, for messages. */
    public Duration budget() {
        return budget;
    }

    /** Whether the deadline has come. */
    public boolean passed() {
        return System.nanoTime() - expiresAt >= 0;
    }

    /** {@code text} as a sequence that throws {@link RuleOverrunException} when read after the deadline. */
    public CharSequence guard(CharSequence text) {
        return new DeadlineCharSequence(text, this);
    }

    /** Throws {@link RuleOverrunException} if the deadline has passed. */
    public void check() {
        if (passed()) {
            throw new RuleOverrunException("rules ran past their time budget of " + budget.toMillis() + " ms");
        }
    }
}
