package org.popbridge.filters;

import java.util.List;
import java.util.function.Consumer;

/**
 * The session filters of one session, called in chain order. A session filter that throws is
 * reported and skipped for that call: logging and policy must not break the mail session.
 */
public final class SessionFilters {

    /** A session filter under its config name. */
    public record Named(String name, SessionFilter filter) {}

    private final List<Named> filters;
    private final Consumer<FilterFailure> failures;

    public SessionFilters(List<Named> filters, Consumer<FilterFailure> failures) {
        this.filters = List.copyOf(filters);
        this.failures = failures;
    }

    public boolean isEmpty() {
        return filters.isEmpty();
    }

    /** The first refusal wins; the filters after it do not see the command. */
    public CommandDecision command(SessionCommand command) {
        for (Named named : filters) {
            try {
                CommandDecision decision = named.filter().command(command);
                if (decision != null && !decision.allowed()) {
                    return decision;
                }
            } catch (RuntimeException e) {
                failures.accept(new FilterFailure(named.name(), e));
            }
        }
        return CommandDecision.allow();
    }

    public void replied(SessionReply reply) {
        for (Named named : filters) {
            try {
                named.filter().replied(reply);
            } catch (RuntimeException e) {
                failures.accept(new FilterFailure(named.name(), e));
            }
        }
    }

    public void submitted(SubmittedMessage message) {
        for (Named named : filters) {
            try {
                named.filter().submitted(message);
            } catch (RuntimeException e) {
                failures.accept(new FilterFailure(named.name(), e));
            }
        }
    }

    public void ended(SessionSummary summary) {
        for (Named named : filters) {
            try {
                named.filter().ended(summary);
            } catch (RuntimeException e) {
                failures.accept(new FilterFailure(named.name(), e));
            }
        }
    }
}
