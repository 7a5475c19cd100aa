package org.popbridge.proxy.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Records what one logger (and those below it) logs while the test runs. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** Waits (bounded) until an event matches; returns it, or fails the test with what was logged. */
    public ILoggingEvent await(Predicate<ILoggingEvent> match, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            for (ILoggingEvent event : events()) {
                if (match.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing matching was logged within " + millis + " ms; logged: "
                + events().stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
