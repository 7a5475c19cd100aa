package org.popbridge.filters.builtin;

import java.util.Objects;
import java.util.Set;
import org.popbridge.filters.Direction;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.slf4j.Logger;

/**
 * The configured {@code log} filter: where audit lines go and whether each command gets one.
 *
 * @param logger the logger every line is written to, at INFO
 * @param commands whether each command gets a line; the session summary is always written
 */
record AuditLog(Logger logger, boolean commands) implements SessionFilterFactory {

    AuditLog {
        Objects.requireNonNull(logger, "logger");
    }

    /** Audits POP3 and SMTP sessions, both unless {@code direction:} narrows it. */
    @Override
    public Set<Direction> directions() {
        return Direction.both();
    }

    @Override
    public Set<Direction> defaultDirections() {
        return Direction.both();
    }

    @Override
    public SessionFilter forSession(SessionInfo session) {
        return new AuditSessionLog(session, logger, commands);
    }
}
