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
    /** Set when SessionLog's thread-locals exist; before that no session has fields to show. */
    private static volatile boolean sessionLogReady;

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

    /**
     * For the backend to call before each line it makes (or level it checks): the current
     * session's fields into the MDC, once SessionLog is loaded. Until then this touches nothing
     * of netty. Loading SessionLog from inside a log call would load netty's logging there, and
     * netty tries SLF4J by logging a line, which comes back here while SessionLog's initialiser
     * is still running: that fails, and netty would log through java.util.logging for the rest
     * of the run, outside popbridge's log and its format.
     */
    public static void show() {
        if (sessionLogReady) {
            SessionLog.showFields();
        }
    }

    /** SessionLog's thread-locals are made: from now on {@link #show} reaches it. */
    static void sessionLogReady() {
        sessionLogReady = true;
    }

    static boolean active() {
        return BACKENDS.get() > 0;
    }
}
