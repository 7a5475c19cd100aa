package org.popbridge.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint of a benchmark run as the scripts name it on the command line,
 * {@code NAME=PORT:PID}: PID is the proxy process behind the port, 0 for Dovecot itself. A
 * proxy that relays in several processes (nginx's workers) names them all, {@code PID+PID}.
 */
record BenchTarget(String name, int port, List<Long> pids) {

    BenchTarget {
        pids = List.copyOf(pids);
    }

    /** Parses "NAME=PORT:PID,NAME=PORT:PID+PID,...". */
    static List<BenchTarget> parse(String specs) {
        List<BenchTarget> targets = new ArrayList<>();
        for (String spec : specs.split(",")) {
            String[] nameRest = spec.split("=", 2);
            String[] portPid = nameRest[1].split(":", 2);
            List<Long> pids = new ArrayList<>();
            for (String pid : portPid[1].split("\\+")) {
                long p = Long.parseLong(pid);
                if (p > 0) {
                    pids.add(p);
                }
            }
            targets.add(new BenchTarget(nameRest[0], Integer.parseInt(portPid[0]), pids));
        }
        return targets;
    }

    /** Where the bench client connects, on 127.0.0.1, with implicit TLS or plain. */
    Endpoint endpoint(boolean tls) {
        return new Endpoint(name, "127.0.0.1", port, tls);
    }

    /** The first process behind the port (a popbridge has one), 0 for Dovecot itself. */
    long pid() {
        return pids.isEmpty() ? 0 : pids.get(0);
    }

    boolean isPopbridge() {
        return pid() > 0;
    }

    /** The CPU ticks (utime + stime) of every process behind the port so far; 0 for Dovecot itself. */
    long cpuTicks() throws IOException {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ProcessCounters.cpuTicks(pid);
        }
        return ticks;
    }
}
