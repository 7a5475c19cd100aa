package org.popbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of every thread of some processes at one moment, in nanoseconds, as the
 * scheduler counts it: the first field of /proc/PID/task/TID/schedstat, the time each thread
 * has run. Exact, where utime + stime of /proc/PID/stat are sampled at each clock tick and
 * charge a whole tick to whatever runs then; a JVM's timer-driven threads, woken on the tick,
 * and a loop of short request-reply bursts are both miscounted that way (by +15% to +28% for
 * popbridge and nginx on a NOOP loop, against perf's task-clock).
 *
 * @param nanosByThread on-CPU nanoseconds so far, by thread id
 */
record ThreadCpu(Map<Long, Long> nanosByThread) {

    ThreadCpu {
        nanosByThread = Map.copyOf(nanosByThread);
    }

    /** Whether this kernel keeps schedstat (CONFIG_SCHED_INFO; Debian's and most distributions' do). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    /**
     * Every thread of {@code pids} now.
     *
     * @throws IOException if a process is gone
     */
    static ThreadCpu of(List<Long> pids) throws IOException {
        Map<Long, Long> nanos = new HashMap<>();
        for (long pid : pids) {
            Path tasks = Path.of("/proc/" + pid + "/task");
            try (var list = Files.list(tasks)) {
                for (Path task : list.toList()) {
                    try {
                        String schedstat = Files.readString(task.resolve("schedstat"));
                        nanos.put(Long.parseLong(task.getFileName().toString()),
                                Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                    } catch (NoSuchFileException ended) {
                        // A thread can end between the listing and the read: it ran no more.
                    }
                }
            }
        }
        return new ThreadCpu(nanos);
    }

    /**
     * The nanoseconds run since {@code before}, by the threads alive now (one that started since
     * counts whole). A thread that ended in between is not seen: its last stretch is lost,
     * which for a proxy's threads (event loops, GC, the JIT's) happens rarely, if ever, in a phase.
     */
    long nanosSince(ThreadCpu before) {
        long nanos = 0;
        for (Map.Entry<Long, Long> thread : nanosByThread.entrySet()) {
            nanos += thread.getValue() - before.nanosByThread.getOrDefault(thread.getKey(), 0L);
        }
        return nanos;
    }
}
