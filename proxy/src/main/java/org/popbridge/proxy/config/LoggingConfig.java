package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * The {@code logging:} block, and the {@code --log-*} flags laid over it: the level, the format,
 * and a file that rolls over by size and by day for hosts without a journal.
 *
 * @param level the least severe level logged; null: POPBRIDGE_LOG_LEVEL, else INFO (logback.xml)
 * @param format how lines are written
 * @param file where lines go instead of standard output, or null
 * @param maxFileSize the size at which the file rolls over (it rolls at midnight too)
 * @param maxHistory how many days of rolled files are kept
 */
public record LoggingConfig(LogLevel level, LogFormat format, Path file, long maxFileSize, int maxHistory) {

    public static final long DEFAULT_MAX_FILE_SIZE = 100L << 20;
    public static final int DEFAULT_MAX_HISTORY = 14;
    // Below this a file would roll over every few lines.
    static final long MIN_FILE_SIZE = 1L << 10;

    public LoggingConfig {
        if (format == null) {
            format = LogFormat.TEXT;
        }
        if (maxFileSize < MIN_FILE_SIZE) {
            throw new IllegalArgumentException("max-file-size must be at least " + ByteSizes.format(MIN_FILE_SIZE));
        }
        if (maxHistory < 1) {
            throw new IllegalArgumentException("max-history must be at least 1 (day)");
        }
    }

    @JsonCreator
    static LoggingConfig of(
            @JsonProperty("level") String level,
            @JsonProperty("format") String format,
            @JsonProperty("file") Path file,
            @JsonProperty("max-file-size") String maxFileSize,
            @JsonProperty("max-history") Integer maxHistory) {
        long size = DEFAULT_MAX_FILE_SIZE;
        if (maxFileSize != null) {
            size = SettingException.binding("max-file-size", () -> ByteSizes.parse(maxFileSize));
            if (size < MIN_FILE_SIZE) {
                throw new SettingException("max-file-size", "must be at least " + ByteSizes.format(MIN_FILE_SIZE)
                        + ", got " + maxFileSize);
            }
        }
        if (file == null && (maxFileSize != null || maxHistory != null)) {
            throw new SettingException(maxFileSize != null ? "max-file-size" : "max-history",
                    "only with file: (standard output does not roll over)");
        }
        if (maxHistory != null && maxHistory < 1) {
            throw new SettingException("max-history", "must be at least 1 (day), got " + maxHistory);
        }
        return new LoggingConfig(
                level == null ? null : SettingException.binding("level", () -> LogLevel.parse(level)),
                format == null ? null : SettingException.binding("format", () -> LogFormat.parse(format)),
                file, size, maxHistory == null ? DEFAULT_MAX_HISTORY : maxHistory);
    }

    /** No {@code logging:} block: text on standard output, at the level logback.xml sets. */
    public static LoggingConfig defaults() {
        return new LoggingConfig(null, LogFormat.TEXT, null, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_HISTORY);
    }

    public LoggingConfig withLevel(LogLevel newLevel) {
        return new LoggingConfig(newLevel, format, file, maxFileSize, maxHistory);
    }

    public LoggingConfig withFormat(LogFormat newFormat) {
        return new LoggingConfig(level, newFormat, file, maxFileSize, maxHistory);
    }

    public LoggingConfig withFile(Path newFile) {
        return new LoggingConfig(level, format, newFile, maxFileSize, maxHistory);
    }

    /** Whether the output is logback.xml's own: text on standard output. */
    public boolean standardText() {
        return format == LogFormat.TEXT && file == null;
    }
}
