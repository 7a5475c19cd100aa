package org.popbridge.bench;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time a side's own processes spend on one phase, for a --sides run: utime + stime
 * of every process behind the side's port (popbridge's JVM, nginx's workers), read from /proc
 * before and after the phase. Dovecot itself (no PID) has none. A process that is gone (a
 * worker that died and was replaced) ends the side's CPU figures, not the run: the side is
 * noted in results.tsv as {@code cpu.lost} and its figures stop there.
 */
final class SideCpu {

    private final Map<String, BenchTarget> sides;
    private final double clkTck;
    private final ResultLog log;
    private final Set<String> lost = new HashSet<>();

    /** @param sides by name; an empty map (run.sh's pairs) records nothing */
    SideCpu(Map<String, BenchTarget> sides, double clkTck, ResultLog log) {
        this.sides = sides;
        this.clkTck = clkTck;
        this.log = log;
    }

    /** The side's CPU ticks so far, or -1 when it has no processes or one of them is gone. */
    long ticks(Endpoint endpoint) {
        BenchTarget side = sides.get(endpoint.name());
        if (side == null || side.pids().isEmpty() || lost.contains(side.name())) {
            return -1;
        }
        try {
            return side.cpuTicks();
        } catch (IOException | RuntimeException e) {
            lost.add(side.name());
            log.put(side.name(), "cpu.lost", "process " + side.pids() + " unreadable: " + RetrThroughput.describe(e));
            System.err.printf("bench: %s: CPU no longer measured (%s)%n", side.name(), RetrThroughput.describe(e));
            return -1;
        }
    }

    /**
     * The ticks between TICKS-BEFORE and TICKS-AFTER (from {@link #ticks}) for PHASE: summed over
     * the rounds (PHASE.cpu_ticks, PHASE.cpu_units: messages or commands) and, per round, CPU µs
     * per unit (PHASE.cpu_us_per_unit) and, when OCTETS moved, CPU milliseconds per GB
     * (PHASE.cpu_ms_per_gb: Rounds keeps a round's value to one decimal).
     */
    void record(Rounds figures, Endpoint endpoint, String phase, long before, long after, long units, long octets) {
        if (before < 0 || after < 0 || units <= 0) {
            return;
        }
        String name = endpoint.name();
        long ticks = after - before;
        figures.sum(name, phase + ".cpu_ticks", ticks);
        figures.sum(name, phase + ".cpu_units", units);
        figures.add(name, phase + ".cpu_us_per_unit", ticks / clkTck * 1e6 / units);
        if (octets > 0) {
            figures.add(name, phase + ".cpu_ms_per_gb", ticks / clkTck * 1e3 / (octets / 1e9));
        }
    }
}
