package org.popbridge.proxy.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.popbridge.proxy.core.session.SessionFieldsOnDemand;
import org.slf4j.Marker;

/**
 * Writes the current session's fields into the MDC just before Logback makes a line
 * ({@link SessionFieldsOnDemand#show}), so that sessions need not write them on every event they
 * handle. Logback asks its turbo filters first, before the level check and before it builds
 * the line, on the logging thread; this one decides nothing. It must come first in
 * logback.xml: a turbo filter before it that accepts would make a line it never saw.
 *
 * <p>While it runs, sessions leave the MDC alone; when its context resets or stops, Logback
 * stops it and sessions write their fields themselves again. Starting touches nothing of
 * netty ({@link SessionFieldsOnDemand} says why), nor does a line before the first session.
 */
public final class SessionFieldsFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (isStarted() && !belowLevelAndAlone(logger, level)) {
            SessionFieldsOnDemand.show();
        }
        return FilterReply.NEUTRAL;
    }

    /**
     * Whether no line will be made: the level is off for this logger and no other turbo filter
     * could accept the line anyway. Asked for every debug call on every command, where DEBUG is
     * mostly off; the fields are shown only for a line that is made.
     */
    private boolean belowLevelAndAlone(Logger logger, Level level) {
        return level != null && level.levelInt < logger.getEffectiveLevel().levelInt
                && getContext() instanceof LoggerContext context && context.getTurboFilterList().size() == 1;
    }

    @Override
    public void start() {
        if (!isStarted()) {
            SessionFieldsOnDemand.begin();
            super.start();
        }
    }

    @Override
    public void stop() {
        if (isStarted()) {
            super.stop();
            SessionFieldsOnDemand.end();
        }
    }
}
