package org.popbridge.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How log lines are written: text for people (the default), or one JSON object a line for log processors. */
public enum LogFormat {
    TEXT,
    JSON;

    /**
     * The format {@code text} names, in any case.
     *
     * @throws IllegalArgumentException naming the formats there are
     */
    public static LogFormat parse(String text) {
        for (LogFormat format : values()) {
            if (format.name().equalsIgnoreCase(text.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + text + "' (known: " + names() + ")");
    }

    /** As the command line and the config file write it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String names() {
        return Arrays.stream(values()).map(LogFormat::toString).collect(Collectors.joining(", "));
    }
}
