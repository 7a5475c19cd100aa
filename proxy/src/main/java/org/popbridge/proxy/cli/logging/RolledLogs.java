package org.popbridge.proxy.cli.logging;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a log file's rolled files are named beside it: popbridge.log rolls to
 * popbridge-2026-01-31.0.log.gz, popbridge-2026-01-31.1.log.gz, ... One place for the name, so
 * the pattern Logback writes by and the one the pruner deletes by cannot drift apart.
 *
 * @param live the file written to now
 * @param stem the live file's name without its extension ("popbridge")
 * @param extension the live file's extension with its dot, ".log" when it has none
 */
record RolledLogs(Path live, String stem, String extension) {

    /** The rolled files of {@code file}. */
    static RolledLogs of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0
                ? new RolledLogs(file, name.substring(0, dot), name.substring(dot))
                : new RolledLogs(file, name, ".log");
    }

    /** The file name pattern Logback's size-and-time policy rolls to. */
    String logbackPattern() {
        return live.resolveSibling(stem + "-%d{yyyy-MM-dd}.%i" + extension + ".gz").toString();
    }

    /** The folder the rolled files are in. */
    Path directory() {
        Path parent = live.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * The day a rolled file was written on, from its name; empty for any other file beside it,
     * the live one and Logback's half-compressed temporary files included.
     */
    Optional<LocalDate> dayOf(Path file) {
        Matcher name = namePattern().matcher(file.getFileName().toString());
        if (!name.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name.group(1)));
        } catch (DateTimeParseException notADay) {
            return Optional.empty();
        }
    }

    private Pattern namePattern() {
        return Pattern.compile(Pattern.quote(stem + "-") + "(\\d{4}-\\d{2}-\\d{2})\\.\\d+"
                + Pattern.quote(extension + ".gz"));
    }
}
