package org.popbridge.filters;

import java.util.EnumSet;
import java.util.Set;

/**
 * One entry of the configured chain, checked and ready: a {@link MessageFilterFactory}, a
 * {@link SessionFilterFactory}, or both. It is shared by every session and must be
 * thread-safe; the filters it creates, one per message or session, need not be.
 */
public interface ConfiguredFilter {

    /**
     * The directions this filter can act in. A filter written before popbridge sent mail knows
     * only POP3 sessions and messages being read, so that is the default.
     */
    default Set<Direction> directions() {
        return EnumSet.of(Direction.INCOMING);
    }

    /**
     * The directions it acts in when its config item has no {@code direction:}; among {@link #directions()}.
     * Incoming where it can, so a filter that learns to act on sent mail does not start doing so unasked.
     */
    default Set<Direction> defaultDirections() {
        Set<Direction> supported = directions();
        return supported.contains(Direction.INCOMING) ? EnumSet.of(Direction.INCOMING) : EnumSet.copyOf(supported);
    }
}
