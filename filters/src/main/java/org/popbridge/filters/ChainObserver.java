package org.popbridge.filters;

/**
 * Hears every decision of every filter on message headers, on the thread the decision is made
 * (a session's event loop): it must be quick and must not throw. The proxy counts verdicts and
 * times filters with it; a filter author never needs it.
 */
@FunctionalInterface
public interface ChainObserver {

    /** Hears nothing. */
    ChainObserver NONE = decision -> { };

    void decided(FilterDecision decision);
}
