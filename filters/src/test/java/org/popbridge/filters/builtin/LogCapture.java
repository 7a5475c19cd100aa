package org.popbridge.filters.builtin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that keeps what it is given, for tests: filters has no logging backend of its own. */
final class LogCapture extends LegacyAbstractLogger {

    /** One call: its level and the message as a backend would format it. */
    record Line(Level level, String text) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private volatile boolean infoEnabled = true;

    LogCapture(String name) {
        this.name = name;
    }

    /** What was logged at INFO, formatted. */
    List<String> info() {
        return lines.stream().filter(line -> line.level() == Level.INFO).map(Line::text).toList();
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    void clear() {
        lines.clear();
    }

    void infoEnabled(boolean enabled) {
        infoEnabled = enabled;
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return infoEnabled;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        if (level == Level.INFO && !infoEnabled) {
            return;
        }
        lines.add(new Line(level, MessageFormatter.basicArrayFormat(messagePattern, arguments)));
    }
}
