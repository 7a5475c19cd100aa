package org.popbridge.proxy.cli.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A text log line's time stamp, {@code %timestamp}: "2026-12-06 02:18:38.123" in the default
 * zone, exactly as Logback's {@code %d{yyyy-MM-dd HH:mm:ss.SSS}} writes it. Logback formats the
 * whole stamp again for every millisecond that has a line; this formats the date and time once
 * a second and appends the milliseconds. A zone changes its offset only on a whole second, so
 * the second's text holds for all its milliseconds. (In the filter benchmark's profile, with an
 * audit line per command, Logback's formatting was a quarter of what each line cost.)
 */
public final class LogTimestamp extends ClassicConverter {

    private static final DateTimeFormatter TO_THE_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.");
    private static final String[] MILLIS = new String[1000];

    static {
        for (int i = 0; i < MILLIS.length; i++) {
            MILLIS[i] = String.format("%03d", i);
        }
    }

    /** The second formatted last; replaced whole, since lines of several threads are formatted at once. */
    private record Second(long epochSecond, String text) {
    }

    private final ZoneId zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    /** In the default zone, as Logback's %d without a zone. */
    public LogTimestamp() {
        this(ZoneId.systemDefault());
    }

    LogTimestamp(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String convert(ILoggingEvent event) {
        long millis = event.getTimeStamp();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond).atZone(zone)));
            last = second;
        }
        return second.text().concat(MILLIS[(int) Math.floorMod(millis, 1000)]);
    }
}
