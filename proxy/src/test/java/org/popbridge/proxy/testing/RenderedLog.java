package org.popbridge.proxy.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.cli.logging.LogEncoders;
import org.popbridge.proxy.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger (and those below it) writes, rendered as the running proxy renders them
 * in one format, at the moment they are logged: the MDC is read on the logging thread, as a
 * real appender reads it.
 */
public final class RenderedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Logger logger;
    private final Encoder<ILoggingEvent> encoder;
    private final List<String> lines = new ArrayList<>();

    private RenderedLog(String name, LogFormat format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger(name);
        encoder = LogEncoders.of(format, context);
        setContext(context);
        start();
        logger.addAppender(this);
    }

    /** Everything logged from now on, in {@code format}. */
    public static RenderedLog everything(LogFormat format) {
        return new RenderedLog(org.slf4j.Logger.ROOT_LOGGER_NAME, format);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        synchronized (lines) {
            lines.add(line);
        }
    }

    /** The lines so far, each with its line end. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** A JSON line parsed (failing the test if it is not one JSON object). */
    public static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                throw new AssertionError("not a JSON object: " + line);
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
