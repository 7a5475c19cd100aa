package org.popbridge.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The least severe level popbridge logs; DEBUG shows every command (secrets masked), TRACE more. */
public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE;

    /**
     * The level {@code text} names, in any case.
     *
     * @throws IllegalArgumentException naming the levels there are
     */
    public static LogLevel parse(String text) {
        for (LogLevel level : values()) {
            if (level.name().equalsIgnoreCase(text.strip())) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown log level '" + text + "' (known: " + names() + ")");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String names() {
        return Arrays.stream(values()).map(LogLevel::toString).collect(Collectors.joining(", "));
    }
}
