package org.popbridge.proxy.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.popbridge.proxy.config.LogFormat;

/** How a log line is written in each format: what the running proxy uses, and what tests check lines against. */
public final class LogEncoders {

    /** The text line, exactly as logback.xml writes it (fail2ban's filter matches it). */
    public static final String TEXT_PATTERN = "%timestamp %-5level %logger{0} - %msg%n";

    /** The conversion word of {@link LogTimestamp}: "2026-12-06 02:18:38.123", as %d{yyyy-MM-dd HH:mm:ss.SSS}. */
    public static final String TIMESTAMP = "timestamp";

    private LogEncoders() {
    }

    /** A started encoder for {@code format}. */
    public static Encoder<ILoggingEvent> of(LogFormat format, LoggerContext context) {
        Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json() : text(context);
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put(TIMESTAMP, LogTimestamp::new);
        layout.setPattern(TEXT_PATTERN);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setLayout(layout);
        return encoder;
    }

    /**
     * Logback's own JSON encoder, one object a line: timestamp, level, loggerName, threadName,
     * the session's fields under "mdc" (session, client, listener, user, route: core.session.SessionLog),
     * key-value pairs, formattedMessage and the throwable. Left out: the raw template and its
     * arguments (the formatted message says it once), the logger context and sequence numbers.
     */
    private static Encoder<ILoggingEvent> json() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }
}
