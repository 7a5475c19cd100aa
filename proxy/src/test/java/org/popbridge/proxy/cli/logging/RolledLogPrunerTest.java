package org.popbridge.proxy.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old rolled log files go, and nothing else does. */
class RolledLogPrunerTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final Clock AT_NOON = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void filesOlderThanMaxHistoryDaysGoTodaysAndTheLastDaysStay() throws IOException {
        for (int daysAgo = 0; daysAgo <= 5; daysAgo++) {
            for (int index = 0; index < 3; index++) {
                touch(rolledName(TODAY.minusDays(daysAgo), index));
            }
        }
        RolledLogPruner pruner = new RolledLogPruner(RolledLogs.of(dir.resolve("popbridge.log")), 2, AT_NOON);

        List<Path> deleted = pruner.prune();

        assertThat(deleted).hasSize(9).allSatisfy(file -> assertThat(file).doesNotExist());
        assertThat(names()).containsExactlyInAnyOrder(
                "popbridge-2026-03-01.0.log.gz", "popbridge-2026-03-01.1.log.gz", "popbridge-2026-03-01.2.log.gz",
                "popbridge-2026-02-28.0.log.gz", "popbridge-2026-02-28.1.log.gz", "popbridge-2026-02-28.2.log.gz",
                "popbridge-2026-02-27.0.log.gz", "popbridge-2026-02-27.1.log.gz", "popbridge-2026-02-27.2.log.gz");
    }

    @Test
    void onlyRolledFilesAreEverDeleted() throws IOException {
        String old = "2025-01-01";
        touch("popbridge.log");
        touch("popbridge-" + old + ".0.log123456.tmp");
        touch("popbridge-" + old + ".0.log");
        touch("audit-" + old + ".0.log.gz");
        touch("notes.txt");
        Files.createDirectory(dir.resolve("popbridge-" + old + ".7.log.gz"));
        touch("popbridge-" + old + ".1.log.gz");
        RolledLogPruner pruner = new RolledLogPruner(RolledLogs.of(dir.resolve("popbridge.log")), 1, AT_NOON);

        assertThat(pruner.prune()).containsExactly(dir.resolve("popbridge-" + old + ".1.log.gz"));
        assertThat(names()).containsExactlyInAnyOrder("popbridge.log", "popbridge-" + old + ".0.log123456.tmp",
                "popbridge-" + old + ".0.log", "audit-" + old + ".0.log.gz", "notes.txt",
                "popbridge-" + old + ".7.log.gz");
    }

    @Test
    void aPassAskedForRunsOnItsThreadAndCloseWaitsForIt() throws IOException {
        touch(rolledName(TODAY.minusDays(30), 0));
        touch(rolledName(TODAY, 0));
        RolledLogPruner pruner = new RolledLogPruner(RolledLogs.of(dir.resolve("popbridge.log")), 14, AT_NOON);

        for (int ask = 0; ask < 100; ask++) {
            pruner.pruneSoon();
        }
        pruner.close();

        assertThat(names()).containsExactly("popbridge-2026-03-01.0.log.gz");
    }

    @Test
    void askingAfterCloseDoesNothing() throws IOException {
        touch(rolledName(TODAY.minusDays(30), 0));
        RolledLogPruner pruner = new RolledLogPruner(RolledLogs.of(dir.resolve("popbridge.log")), 14, AT_NOON);
        pruner.close();

        pruner.pruneSoon();

        assertThat(names()).containsExactly("popbridge-2026-01-30.0.log.gz");
    }

    @Test
    void aMissingFolderDeletesNothingAndThrowsNothing() {
        RolledLogPruner pruner = new RolledLogPruner(RolledLogs.of(dir.resolve("gone/popbridge.log")), 1, AT_NOON);

        assertThat(pruner.prune()).isEmpty();
    }

    @Test
    void maxHistoryIsAtLeastOneDay() {
        assertThatThrownBy(() -> new RolledLogPruner(RolledLogs.of(dir.resolve("p.log")), 0, AT_NOON))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String rolledName(LocalDate day, int index) {
        return "popbridge-" + day + "." + index + ".log.gz";
    }

    private void touch(String name) throws IOException {
        Files.writeString(dir.resolve(name), name);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
