package org.popbridge.bench;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time a side's own processes spend on one phase, for a --sides run: the on-CPU time
 * of every thread of every process behind the side's port (popbridge's JVM, nginx's workers),
 * from the scheduler's exact count ({@link ThreadCpu}) before and after the phase; where the
 * kernel keeps no schedstat, utime + stime of /proc/PID/stat, sampled by the clock tick
 * (results.tsv's run.cpu_clock says which). Dovecot itself (no PID) has none. A process that
 * is gone (a worker that died and was replaced) ends the side's CPU figures, not the run: the
 * side is noted in results.tsv as {@code cpu.lost} and its figures stop there.
 */
final class SideCpu {

    /** One side's CPU so far: its threads' times, or its processes' ticks. */
    sealed interface Reading permits Threads, Ticks {
        /** The CPU nanoseconds since {@code before}, a reading of the same side and kind. */
        long nanosSince(Reading before);
    }

    private record Threads(ThreadCpu cpu) implements Reading {
        @Override
        public long nanosSince(Reading before) {
            return cpu.nanosSince(((Threads) before).cpu);
        }
    }

    /** Clock ticks, {@code clkTck} a second. */
    private record Ticks(long ticks, double clkTck) implements Reading {
        @Override
        public long nanosSince(Reading before) {
            return Math.round((ticks - ((Ticks) before).ticks) / clkTck * 1e9);
        }
    }

    private final Map<String, BenchTarget> sides;
    private final double clkTck;
    private final ResultLog log;
    private final boolean schedstat = ThreadCpu.available();
    private final Set<String> lost = new HashSet<>();

    /** @param sides by name; an empty map (run.sh's pairs) records nothing */
    SideCpu(Map<String, BenchTarget> sides, double clkTck, ResultLog log) {
        this.sides = sides;
        this.clkTck = clkTck;
        this.log = log;
        log.put("run", "cpu_clock", schedstat ? "schedstat" : "ticks");
    }

    /** The side's CPU so far, or null when it has no processes or one of them is gone. */
    Reading read(Endpoint endpoint) {
        BenchTarget side = sides.get(endpoint.name());
        if (side == null || side.pids().isEmpty() || lost.contains(side.name())) {
            return null;
        }
        try {
            return schedstat ? new Threads(ThreadCpu.of(side.pids())) : new Ticks(side.cpuTicks(), clkTck);
        } catch (IOException | RuntimeException e) {
            lost.add(side.name());
            log.put(side.name(), "cpu.lost", "process " + side.pids() + " unreadable: " + RetrThroughput.describe(e));
            System.err.printf("bench: %s: CPU no longer measured (%s)%n", side.name(), RetrThroughput.describe(e));
            return null;
        }
    }

    /**
     * The CPU between BEFORE and AFTER (from {@link #read}) for PHASE: summed over the rounds
     * (PHASE.cpu_ns, PHASE.cpu_units: messages or commands) and, per round, CPU µs per unit
     * (PHASE.cpu_us_per_unit) and, when OCTETS moved, CPU milliseconds per GB
     * (PHASE.cpu_ms_per_gb: Rounds keeps a round's value to one decimal).
     */
    void record(Rounds figures, Endpoint endpoint, String phase, Reading before, Reading after, long units,
            long octets) {
        if (before == null || after == null || units <= 0) {
            return;
        }
        long nanos = after.nanosSince(before);
        String name = endpoint.name();
        figures.sum(name, phase + ".cpu_ns", nanos);
        figures.sum(name, phase + ".cpu_units", units);
        figures.add(name, phase + ".cpu_us_per_unit", nanos / 1e3 / units);
        if (octets > 0) {
            figures.add(name, phase + ".cpu_ms_per_gb", nanos / 1e6 / (octets / 1e9));
        }
    }
}
