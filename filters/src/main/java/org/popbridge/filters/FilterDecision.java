package org.popbridge.filters;

import java.time.Duration;
import java.util.Objects;

/**
 * How one filter of the chain decided on one message's headers, and how long it took: what a
 * {@link ChainObserver} hears, for metrics. It names no message and no user.
 *
 * @param filter the filter's name in the chain
 * @param outcome its verdict, or how it failed
 * @param took from asking the filter to its answer (or to its failure or overrun)
 */
public record FilterDecision(String filter, Outcome outcome, Duration took) {

    /** The filter's verdict, or why it has none (it is then skipped or, under fail-closed, refuses). */
    public enum Outcome {
        DELIVER, HIDE, REFUSE,
        /** It threw, or returned no verdict. */
        FAILED,
        /** It did not answer within the chain's time budget. */
        OVERRAN;

        static Outcome of(Verdict.Action action) {
            return switch (action) {
                case DELIVER -> DELIVER;
                case HIDE -> HIDE;
                case REFUSE -> REFUSE;
            };
        }
    }

    public FilterDecision {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(took, "took");
    }
}
