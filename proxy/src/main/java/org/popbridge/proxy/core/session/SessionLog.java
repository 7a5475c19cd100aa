package org.popbridge.proxy.core.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * What every log line of one session carries as fields: its id, the client's address, the
 * listener, and once known the user and the route. A session is current on a thread only
 * while one of its callbacks runs ({@link SessionLogScope}, {@link #carried}): an event loop
 * serves many sessions, so a value left behind would be written on another session's lines.
 * Leaving a scope makes current exactly what was current before it.
 *
 * <p>The fields reach the lines through SLF4J's MDC, written one of two ways. Where the
 * logging backend calls {@link #showFields} before it makes each line (Logback with
 * cli.logging's SessionFieldsFilter, as logback.xml configures it), the MDC is written only
 * then, and only when the session current differs from the one it shows: entering and leaving
 * a scope, twice per read on two channels, cost a thread-local each instead of ten map
 * updates. Otherwise every scope puts its fields in when it is entered and takes them out
 * when it is left.
 *
 * <p>Touched only on the session's event loop, like the session itself.
 */
public final class SessionLog {

    /** The MDC keys: the JSON log's field names (fixed: log processors select on them). */
    public static final String SESSION = "session";
    public static final String CLIENT = "client";
    public static final String LISTENER = "listener";
    public static final String USER = "user";
    public static final String ROUTE = "route";

    private static final AttributeKey<SessionLog> KEY = AttributeKey.valueOf(SessionLog.class, "session-log");
    /** The session whose callback runs on this thread, if any (an indexed slot on netty's threads). */
    private static final FastThreadLocal<SessionLog> CURRENT = new FastThreadLocal<>();
    /** Which version of its session this thread's MDC shows, where the fields are shown on demand. */
    private static final FastThreadLocal<Shown> SHOWN = new FastThreadLocal<>() {
        @Override
        protected Shown initialValue() {
            return new Shown();
        }
    };

    static {
        // Last of the static initialisers: a line logged while they run must not reach showFields.
        SessionFieldsOnDemand.sessionLogReady();
    }

    private final Channel clientChannel;
    private final String id;
    private final String listener;
    private String client;
    private String user;
    private String route;
    /** Counts changes of client, user and route, so a thread's MDC that shows an older state is written again. */
    private int version;

    private SessionLog(Channel clientChannel, String listener) {
        this.clientChannel = clientChannel;
        this.id = clientChannel.id().asShortText();
        this.listener = listener;
        this.client = ClientAddress.describe(clientChannel);
    }

    /**
     * Gives a client connection its session log, with the id its session's log lines use (the
     * channel's short id) and the client as known so far.
     */
    public static SessionLog attach(Channel client, String listener) {
        SessionLog log = new SessionLog(client, listener);
        client.attr(KEY).set(log);
        return log;
    }

    /** An upstream connection's lines are its session's: the same fields. */
    public void attachTo(Channel upstream) {
        upstream.attr(KEY).set(this);
    }

    /** The session log of a channel, or null if it has none (a channel made outside a listener). */
    public static SessionLog of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /** The session whose callback runs on this thread now, or null. */
    public static SessionLog current() {
        return CURRENT.get();
    }

    public String id() {
        return id;
    }

    /** The listener the session came in on, as the config file writes it. */
    public String listener() {
        return listener;
    }

    /**
     * Makes this session's fields the thread's until {@link #leave} is given what this returns.
     *
     * @return the session that was current before (null if none), for {@link #leave}
     */
    public SessionLog enter() {
        SessionLog previous = CURRENT.get();
        CURRENT.set(this);
        if (!onDemand()) {
            putFields();
        }
        return previous;
    }

    /** Puts back the fields of {@code previous} (what {@link #enter} returned), or none. */
    public static void leave(SessionLog previous) {
        if (previous == null) {
            // Not remove(): the slot would be made again at the next get, twice per read on
            // each channel, each time registering the thread-local for cleanup at thread exit.
            CURRENT.set(null);
            if (!onDemand()) {
                removeFields();
            }
        } else {
            CURRENT.set(previous);
            if (!onDemand()) {
                previous.putFields();
            }
        }
    }

    /**
     * Makes this thread's MDC hold the fields of the session current now, or none: for a
     * logging backend to call before it makes a line ({@link SessionFieldsOnDemand#show}),
     * between {@link SessionFieldsOnDemand#begin} and {@link SessionFieldsOnDemand#end}. Cheap
     * when nothing changed since the last line (two thread-locals and one MDC read), as it is
     * for most lines. Whatever else clears or rewrites the MDC, the next line is right.
     */
    public static void showFields() {
        SessionLog log = CURRENT.get();
        if (log == null) {
            if (MDC.get(SESSION) != null) {
                removeFields();
            }
            return;
        }
        // The MDC holds this very id string only if this session's fields were put there last.
        Shown shown = SHOWN.get();
        if (MDC.get(SESSION) != log.id || shown.version != log.version) {
            log.putFields();
            shown.version = log.version;
        }
    }

    private static boolean onDemand() {
        return SessionFieldsOnDemand.active();
    }

    /** Runs {@code task} with this session's fields. */
    public void run(Runnable task) {
        if (CURRENT.get() == this) {
            // Already in scope (the inner scope of a pipeline, a hop within the session): it is current.
            task.run();
            return;
        }
        SessionLog previous = enter();
        try {
            task.run();
        } finally {
            leave(previous);
        }
    }

    /**
     * {@code task}, to run later with the fields of the session current now (a timer, a hop back
     * to the event loop); {@code task} itself where no session is current.
     */
    public static Runnable carried(Runnable task) {
        SessionLog log = CURRENT.get();
        return log == null ? task : () -> log.run(task);
    }

    /** {@code executor}, running every task with the fields of the session current now. */
    public static Executor carried(Executor executor) {
        SessionLog log = CURRENT.get();
        return log == null ? executor : task -> executor.execute(() -> log.run(task));
    }

    /** Asks again where the client is: a PROXY header may have said so since (ClientAddress). */
    void refreshClient() {
        client = ClientAddress.describe(clientChannel);
        changed(CLIENT, client);
    }

    /** The session running now is for {@code name}, as the client gave it (shown escaped, as LogText shows it). */
    public static void user(String name) {
        SessionLog log = CURRENT.get();
        if (log != null && name != null) {
            log.user = LogText.of(name).toString();
            log.changed(USER, log.user);
        }
    }

    /** The session running now took the route for {@code match} (as the config file writes it). */
    public static void route(String match) {
        SessionLog log = CURRENT.get();
        if (log != null && match != null) {
            log.route = match;
            log.changed(ROUTE, match);
        }
    }

    private void putFields() {
        MDC.put(SESSION, id);
        MDC.put(CLIENT, client);
        MDC.put(LISTENER, listener);
        putOrRemove(USER, user);
        putOrRemove(ROUTE, route);
    }

    /**
     * One field took {@code value}: a thread's MDC that shows an older version is written again
     * at its next line; where scopes write the fields themselves, the current one now.
     */
    private void changed(String key, String value) {
        version++;
        if (CURRENT.get() == this && !onDemand()) {
            MDC.put(key, value);
        }
    }

    private static void removeFields() {
        MDC.remove(SESSION);
        MDC.remove(CLIENT);
        MDC.remove(LISTENER);
        MDC.remove(USER);
        MDC.remove(ROUTE);
    }

    private static void putOrRemove(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /**
     * The version of the session whose fields a thread's MDC holds (which session: the id string
     * in the MDC, by identity). Not the session itself, which would outlive its connection.
     */
    private static final class Shown {
        private int version;
    }
}
