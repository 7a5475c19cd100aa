package org.popbridge.filters.builtin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J backend of the filters tests (registered by the test services file): every logger
 * is a {@link LogCapture}, so a test can see what {@code LoggerFactory.getLogger(name)} was given.
 */
public final class LogCaptureProvider implements SLF4JServiceProvider {

    private static final Map<String, LogCapture> LOGGERS = new ConcurrentHashMap<>();
    private static final ILoggerFactory FACTORY = LogCaptureProvider::logger;

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** The capture behind {@code LoggerFactory.getLogger(name)}. */
    static LogCapture logger(String name) {
        return LOGGERS.computeIfAbsent(name, LogCapture::new);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return FACTORY;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
