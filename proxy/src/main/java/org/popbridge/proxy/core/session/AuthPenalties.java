package org.popbridge.proxy.core.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins remembered per client address, as Dovecot's anvil remembers them: each failure
 * from an address doubles the delay its next failure's reply waits, up to a cap, and an address
 * quiet for a while is forgotten. It slows a password guesser on every connection it opens, not
 * only in one session, while a user who mistypes once waits only the base delay.
 */
public final class AuthPenalties {

    /** How long a failure is remembered. */
    public static final Duration MEMORY = Duration.ofMinutes(15);
    /** The longest a failure's reply waits (Dovecot's anvil penalty cap). */
    public static final Duration MAX_DELAY = Duration.ofSeconds(15);
    /** Addresses remembered at most; the oldest are dropped past it, so a scan of many addresses cannot fill memory. */
    static final int MAX_ADDRESSES = 100_000;

    private record Record(int failures, long lastNanos) {}

    private final ConcurrentHashMap<InetAddress, Record> records = new ConcurrentHashMap<>();

    /**
     * Records a failure from {@code address} and says how long its reply waits: {@code base}
     * for the first failure in {@link #MEMORY}, doubled for each one before it, at most {@link #MAX_DELAY}.
     */
    public Duration failed(InetAddress address, Duration base, long nowNanos) {
        if (records.size() >= MAX_ADDRESSES) {
            records.entrySet().removeIf(entry -> nowNanos - entry.getValue().lastNanos() > MEMORY.toNanos());
            if (records.size() >= MAX_ADDRESSES) {
                records.clear();
            }
        }
        Record record = records.compute(address, (ignored, old) -> old == null || nowNanos - old.lastNanos() > MEMORY.toNanos()
                ? new Record(1, nowNanos) : new Record(old.failures() + 1, nowNanos));
        int doublings = Math.min(record.failures() - 1, 16);
        Duration delay = base.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? (base.compareTo(MAX_DELAY) > 0 ? base : MAX_DELAY) : delay;
    }

    /** A login from {@code address} succeeded: its failures are forgiven. */
    public void succeeded(InetAddress address) {
        records.remove(address);
    }
}
