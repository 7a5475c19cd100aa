package org.popbridge.filters;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Which way mail crosses the proxy, and so which sessions and messages a filter acts on. */
public enum Direction {
    /** Mail a POP3 client reads: messages on RETR and TOP, and POP3 sessions. */
    INCOMING,
    /** Mail an SMTP client submits (RFC 6409): messages after DATA, and SMTP sessions. */
    OUTGOING;

    /** Both directions. */
    public static Set<Direction> both() {
        return EnumSet.allOf(Direction.class);
    }

    /** The name the config uses: {@code incoming} or {@code outgoing}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
