package org.popbridge.filters;

/** Creates a fresh {@link SessionFilter} for each client session. */
@FunctionalInterface
public interface SessionFilterFactory extends ConfiguredFilter {

    SessionFilter forSession(SessionInfo session);
}
