package org.popbridge.proxy.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The names of rolled log files: the pattern Logback writes by and the day the pruner reads back. */
class RolledLogsTest {

    private final RolledLogs rolled = RolledLogs.of(Path.of("/var/log/popbridge/popbridge.log"));

    @Test
    void rolledFilesAreNamedByDayAndIndexBesideTheFile() {
        assertThat(rolled.logbackPattern()).isEqualTo("/var/log/popbridge/popbridge-%d{yyyy-MM-dd}.%i.log.gz");
        assertThat(RolledLogs.of(Path.of("/var/log/popbridge/current")).logbackPattern())
                .isEqualTo("/var/log/popbridge/current-%d{yyyy-MM-dd}.%i.log.gz");
        assertThat(rolled.directory()).isEqualTo(Path.of("/var/log/popbridge"));
    }

    @Test
    void theDayComesFromARolledFilesName() {
        assertThat(rolled.dayOf(Path.of("/var/log/popbridge/popbridge-2026-01-31.0.log.gz")))
                .contains(LocalDate.of(2026, 1, 31));
        assertThat(rolled.dayOf(Path.of("popbridge-2025-12-31.117.log.gz"))).contains(LocalDate.of(2025, 12, 31));
    }

    @Test
    void noOtherFileHasADay() {
        assertThat(rolled.dayOf(Path.of("popbridge.log"))).as("the live file").isEmpty();
        assertThat(rolled.dayOf(Path.of("popbridge-2026-01-31.0.log12345678.tmp")))
                .as("Logback's file while it compresses").isEmpty();
        assertThat(rolled.dayOf(Path.of("popbridge-2026-01-31.0.log"))).as("not compressed").isEmpty();
        assertThat(rolled.dayOf(Path.of("popbridge-audit-2026-01-31.0.log.gz"))).as("another stem").isEmpty();
        assertThat(rolled.dayOf(Path.of("other-2026-01-31.0.log.gz"))).isEmpty();
        assertThat(rolled.dayOf(Path.of("popbridge-2026-01-31.x.log.gz"))).isEmpty();
        assertThat(rolled.dayOf(Path.of("popbridge-2026-13-45.0.log.gz"))).as("no such day").isEmpty();
    }

    @Test
    void aStemWithRegexCharactersIsTakenLiterally() {
        RolledLogs dotted = RolledLogs.of(Path.of("mail.proxy.log"));

        assertThat(dotted.dayOf(Path.of("mail.proxy-2026-01-31.0.log.gz"))).contains(LocalDate.of(2026, 1, 31));
        assertThat(dotted.dayOf(Path.of("mailXproxy-2026-01-31.0.log.gz"))).isEmpty();
    }
}
