package org.popbridge.proxy.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.DateConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LogTimestamp} writes what Logback's %d{yyyy-MM-dd HH:mm:ss.SSS} writes, whatever the zone does. */
class LogTimestampTest {

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"})
    void everyStampIsLogbacksOwnAcrossOffsetChangesAndBackwards(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        DateConverter logback = new DateConverter();
        logback.setOptionList(List.of("yyyy-MM-dd HH:mm:ss.SSS", zoneName));
        logback.setContext(new LoggerContext());
        logback.start();
        LogTimestamp ours = new LogTimestamp(zone);

        List<Long> stamps = new ArrayList<>();
        // Around the daylight-saving changes of 2026 (and Lord Howe's half hour), a leap day, the
        // epoch and before it, in steps that cross seconds, then the same again backwards.
        for (String around : List.of("2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-04-05T15:00:00Z",
                "2026-10-04T15:30:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z", "2028-02-29T23:59:59Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z")) {
            long middle = Instant.parse(around).toEpochMilli();
            for (long delta = -2_000; delta <= 2_000; delta += 137) {
                stamps.add(middle + delta);
            }
        }
        for (int i = stamps.size() - 1; i >= 0; i--) {
            stamps.add(stamps.get(i));
        }
        for (long stamp : stamps) {
            LoggingEvent event = new LoggingEvent();
            event.setTimeStamp(stamp);
            assertThat(ours.convert(event)).as("%s in %s", Instant.ofEpochMilli(stamp), zoneName)
                    .isEqualTo(logback.convert(event));
        }
    }
}
