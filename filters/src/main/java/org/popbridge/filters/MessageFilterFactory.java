package org.popbridge.filters;

/** Creates a fresh {@link MessageFilter} for each message the chain runs on. */
@FunctionalInterface
public interface MessageFilterFactory extends ConfiguredFilter {

    MessageFilter forMessage(MessageInfo message);

    /**
     * Whether its filters want the body as well as the headers. A chain with such a filter runs
     * on every delivery, because each delivery's body is new; a chain that reads only headers
     * runs once per message and its outcome is cached.
     */
    default boolean watchesBodies() {
        return false;
    }

    /**
     * Whether its filters may answer {@link Verdict.Action#HIDE}. Hiding renumbers the
     * maildrop, so the proxy must read every message's headers at login.
     */
    default boolean mayHide() {
        return false;
    }
}
