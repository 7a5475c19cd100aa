package org.popbridge.proxy.core.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a logging backend calls {@link SessionLog#showFields} before each line it makes, so
 * that {@link SessionLog}'s scopes may leave the MDC alone. Kept apart from SessionLog, and
 * free of netty, because the backend says so while it is being configured: SessionLog's
 * thread-locals are netty's, whose classes log as they load, and a line logged before SLF4J
 * is ready is queued and replayed with a warning on standard error.
 */
public final class SessionFieldsOnDemand {

    /** How many backends show the fields (a Logback context, and a test's). */
    private static final AtomicInteger BACKENDS = new AtomicInteger();

    private SessionFieldsOnDemand() {
    }

    /** From now on a backend calls {@link SessionLog#showFields} before every line. */
    public static void begin() {
        BACKENDS.incrementAndGet();
    }

    /** That backend stopped (its context reset or stopped): scopes write the MDC again, unless another still shows. */
    public static void end() {
        BACKENDS.updateAndGet(n -> Math.max(0, n - 1));
    }

    static boolean active() {
        return BACKENDS.get() > 0;
    }
}
