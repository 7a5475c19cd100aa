package org.popbridge.proxy.cli.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the rolled log files older than max-history days, on a thread of its own.
 *
 * <p>Logback's own archive remover is not used. Its clean-ups run concurrently on a shared
 * pool, one per rollover, and share one mutable calendar (logback 1.5.16, still so in 1.6): when
 * two ran at once, one could compute today as the day to clean and delete the day's first
 * archives, as LogSetupTest caught under load. Here one thread prunes, one pass at a time, and a
 * file's day comes from its name alone.
 */
final class RolledLogPruner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolledLogPruner.class);

    private final RolledLogs rolled;
    private final int maxHistory;
    private final Clock clock;
    private final ExecutorService thread;
    /** A pass is queued and has not begun: a burst of rollovers asks for one pass, not one each. */
    private final AtomicBoolean queued = new AtomicBoolean();

    /**
     * @param maxHistory the days of rolled files kept besides today's
     */
    RolledLogPruner(RolledLogs rolled, int maxHistory, Clock clock) {
        if (maxHistory < 1) {
            throw new IllegalArgumentException("maxHistory must be at least 1, got " + maxHistory);
        }
        this.rolled = rolled;
        this.maxHistory = maxHistory;
        this.clock = clock;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread pruner = new Thread(task, "popbridge-log-pruner");
            pruner.setDaemon(true);
            return pruner;
        });
    }

    /** Asks for a pass soon; returns at once. Once closed, asks for nothing. */
    void pruneSoon() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    queued.set(false);
                    prune();
                });
            } catch (RejectedExecutionException closed) {
                // A rollover after the appender stopped (a reload replaced it): the new one prunes.
                queued.set(false);
            }
        }
    }

    /**
     * Deletes the rolled files whose day is more than max-history days before today's.
     *
     * @return the files deleted
     */
    List<Path> prune() {
        LocalDate oldestKept = LocalDate.now(clock).minusDays(maxHistory);
        List<Path> deleted = new ArrayList<>();
        for (Path file : beside()) {
            boolean expired = rolled.dayOf(file).map(day -> day.isBefore(oldestKept)).orElse(false);
            // A folder or device that happens to bear such a name is not a log file.
            if (expired && Files.isRegularFile(file) && delete(file)) {
                deleted.add(file);
            }
        }
        return deleted;
    }

    private List<Path> beside() {
        try (Stream<Path> files = Files.list(rolled.directory())) {
            return files.toList();
        } catch (IOException | UncheckedIOException unreadable) {
            log.warn("logging: cannot list {} to delete old log files: {}", rolled.directory(), unreadable.toString());
            return List.of();
        }
    }

    private static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException refused) {
            log.warn("logging: cannot delete the old log file {}: {}", file, refused.toString());
            return false;
        }
    }

    /** Lets a pass under way finish (briefly) and stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
