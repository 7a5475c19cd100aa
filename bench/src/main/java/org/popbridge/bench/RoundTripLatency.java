package org.popbridge.bench;

import javax.net.ssl.SSLContext;
import org.HdrHistogram.Histogram;

/**
 * NOOP and STAT round-trip latency on one logged-in session: the time from writing the
 * command to reading the end of its reply, alternating NOOP and STAT.
 */
final class RoundTripLatency {

    /** The two latency distributions, in nanoseconds. */
    record Result(Histogram noop, Histogram stat) {
    }

    private RoundTripLatency() {
    }

    static Result run(Endpoint endpoint, SSLContext tls, Account account, int warmup, int roundTrips)
            throws Exception {
        Histogram noop = new Histogram(60_000_000_000L, 3);
        Histogram stat = new Histogram(60_000_000_000L, 3);
        try (Pop3Connection connection = Pop3Connection.open(endpoint, tls)) {
            connection.login(account);
            for (int i = 0; i < warmup; i++) {
                connection.command("NOOP");
                connection.command("STAT");
            }
            for (int i = 0; i < roundTrips; i++) {
                long t0 = System.nanoTime();
                connection.command("NOOP");
                long t1 = System.nanoTime();
                connection.command("STAT");
                long t2 = System.nanoTime();
                noop.recordValue(t1 - t0);
                stat.recordValue(t2 - t1);
            }
            connection.quit();
        }
        return new Result(noop, stat);
    }
}
