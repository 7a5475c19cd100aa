package org.popbridge.proxy.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.popbridge.proxy.core.session.SessionLog;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the warm-up out of the log while it runs: drops every event logged on the warm-up's
 * own thread (its generation's start-up lines) and every event of its sessions, which carry
 * the warm-up listener's name as their listener. Installed only for the warm-up.
 */
final class WarmUpLogMute extends TurboFilter implements AutoCloseable {

    private final Thread warmUpThread;
    private final String listener;
    private final LoggerContext context;

    private WarmUpLogMute(Thread warmUpThread, String listener, LoggerContext context) {
        this.warmUpThread = warmUpThread;
        this.listener = listener;
        this.context = context;
    }

    /** Mutes the warm-up from now until {@link #close}; with another SLF4J backend, nothing is muted. */
    static WarmUpLogMute install(Thread warmUpThread, String listener) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        LoggerContext context = factory instanceof LoggerContext logback ? logback : null;
        WarmUpLogMute mute = new WarmUpLogMute(warmUpThread, listener, context);
        if (context != null) {
            mute.setContext(context);
            mute.start();
            context.addTurboFilter(mute);
        }
        return mute;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        SessionLog session = SessionLog.current();
        if (Thread.currentThread() == warmUpThread || session != null && listener.equals(session.listener())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    @Override
    public void close() {
        if (context != null) {
            context.getTurboFilterList().remove(this);
            stop();
        }
    }
}
