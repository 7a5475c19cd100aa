package org.popbridge.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint of a benchmark run as the scripts name it on the command line,
 * {@code NAME=PORT:PID}: PID is the popbridge process behind the port, 0 for Dovecot itself.
 */
record BenchTarget(String name, int port, long pid) {

    /** Parses "NAME=PORT:PID,NAME=PORT:PID,...". */
    static List<BenchTarget> parse(String specs) {
        List<BenchTarget> targets = new ArrayList<>();
        for (String spec : specs.split(",")) {
            String[] nameRest = spec.split("=", 2);
            String[] portPid = nameRest[1].split(":", 2);
            targets.add(new BenchTarget(nameRest[0], Integer.parseInt(portPid[0]), Long.parseLong(portPid[1])));
        }
        return targets;
    }

    /** Where the bench client connects, on 127.0.0.1, with implicit TLS or plain. */
    Endpoint endpoint(boolean tls) {
        return new Endpoint(name, "127.0.0.1", port, tls);
    }

    boolean isPopbridge() {
        return pid > 0;
    }
}
