package org.popbridge.proxy.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.status.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.LoggingConfig;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Reconfigures Logback once the command line and the config file are read, before any listener
 * opens: the root level, and the appender that writes the chosen format to standard output or
 * to a rolling file. Text on standard output is logback.xml's own appender, left as it is.
 */
public final class LogSetup {

    /** The appender's name, so a later setup replaces it. */
    public static final String APPENDER = "popbridge";

    private LogSetup() {
    }

    /**
     * @throws ConfigException if the log file cannot be written (the old output stays as it was)
     */
    public static void apply(LoggingConfig logging) throws ConfigException {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            // Embedded with another SLF4J backend: that one is configured by whoever chose it.
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (logging.level() != null) {
            root.setLevel(Level.toLevel(logging.level().name()));
        }
        if (logging.standardText()) {
            return;
        }
        Appender<ILoggingEvent> appender = logging.file() == null
                ? console(context, logging)
                : rollingFile(context, logging, logging.file());
        if (!appender.isStarted()) {
            throw new ConfigException("logging.file: cannot write " + logging.file() + ": " + lastError(context));
        }
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(old::add);
        // Swapped in before the old ones stop, so no line is lost between them.
        root.addAppender(appender);
        for (Appender<ILoggingEvent> replaced : old) {
            root.detachAppender(replaced);
            replaced.stop();
        }
    }

    private static Appender<ILoggingEvent> console(LoggerContext context, LoggingConfig logging) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        return started(console, context, logging);
    }

    /**
     * The file rolls over at midnight and whenever it reaches max-file-size; rolled files are
     * named by day and index beside it (RolledLogs), compressed, and kept for max-history days.
     */
    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, LoggingConfig logging, Path file) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setFile(file.toString());
        RolledLogs rolled = RolledLogs.of(file);
        PrunedRollingPolicy<ILoggingEvent> policy = new PrunedRollingPolicy<>(
                new RolledLogPruner(rolled, logging.maxHistory(), Clock.systemDefaultZone()));
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(rolled.logbackPattern());
        policy.setMaxFileSize(new FileSize(logging.maxFileSize()));
        policy.start();
        appender.setRollingPolicy(policy);
        return started(appender, context, logging);
    }

    /** What Logback said when the appender would not start: it reports to its status list, not by throwing. */
    private static String lastError(LoggerContext context) {
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        for (int i = statuses.size() - 1; i >= 0; i--) {
            Status status = statuses.get(i);
            if (status.getLevel() == Status.ERROR) {
                Throwable cause = status.getThrowable();
                return cause == null ? status.getMessage() : cause.getMessage();
            }
        }
        return "the appender did not start";
    }

    private static <A extends OutputStreamAppender<ILoggingEvent>> A started(A appender, LoggerContext context,
                                                                             LoggingConfig logging) {
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(LogEncoders.of(logging.format(), context));
        appender.start();
        return appender;
    }
}
