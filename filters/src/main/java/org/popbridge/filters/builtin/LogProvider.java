package org.popbridge.filters.builtin;

import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.slf4j.LoggerFactory;

/**
 * The {@code log} filter: an audit line per command and a summary line per session, written to
 * an SLF4J logger ({@code popbridge.audit} unless {@code logger} names another) so operators can
 * route the audit trail on its own. {@code commands: false} keeps only the summaries.
 */
public final class LogProvider implements FilterProvider {

    /** The logger the audit lines go to unless the config names another. */
    public static final String DEFAULT_LOGGER = "popbridge.audit";

    @Override
    public String name() {
        return "log";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("logger", "commands");
        String logger = settings.string("logger", DEFAULT_LOGGER).strip();
        if (logger.isEmpty()) {
            throw settings.problem("logger", "must name a logger, such as " + DEFAULT_LOGGER);
        }
        boolean commands = settings.flag("commands", true);
        return new AuditLog(LoggerFactory.getLogger(logger), commands);
    }
}
