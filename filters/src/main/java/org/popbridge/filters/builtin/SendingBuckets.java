package org.popbridge.filters.builtin;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user, shared by all sessions: each holds up to {@code capacity} tokens
 * and refills continuously, one token every {@code per / capacity}. Thread-safe.
 *
 * <p>A bucket is kept as the one instant it will be full again (the "theoretical arrival time"
 * of the generic cell rate algorithm, ITU-T I.371): taking a token moves it one interval later,
 * and the bucket holds a token while that instant is at most {@code capacity - 1} intervals
 * ahead. A bucket that is full again is the same as no bucket, so the map is swept of them
 * when it grows: memory follows the users sending now, not every user that ever sent.
 */
final class SendingBuckets {

    /** The size past which full buckets are swept out. */
    static final int SWEEP_AT = 4096;

    private final int capacity;
    private final long interval;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Long> fullAt = new ConcurrentHashMap<>();
    // Raised after a sweep that leaves many buckets in use, so a busy map is not swept on every take.
    private volatile int sweepAbove = SWEEP_AT;

    /**
     * @param capacity how many tokens a full bucket holds, at least 1
     * @param per the time in which an empty bucket fills up again
     * @param nanos the clock, as {@link System#nanoTime()}
     */
    SendingBuckets(int capacity, Duration per, LongSupplier nanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.interval = Math.max(1, per.toNanos() / capacity);
        this.nanos = nanos;
    }

    /** Whether {@code key}'s bucket holds at least one token now. */
    boolean hasToken(String key) {
        Long full = fullAt.get(key);
        // Differences of nanoTime values, never comparisons: the clock may wrap.
        return full == null || full - nanos.getAsLong() <= (capacity - 1) * interval;
    }

    /**
     * Takes a token from {@code key}'s bucket. An empty bucket goes into debt rather than refuse:
     * messages checked at the same time by several sessions are all counted, and the debt is
     * paid in waiting before the next one.
     */
    void take(String key) {
        long now = nanos.getAsLong();
        fullAt.compute(key, (k, full) -> (full == null || full - now < 0 ? now : full) + interval);
        if (fullAt.size() > sweepAbove) {
            sweep(now);
        }
    }

    /** How many buckets are held: those not yet full again, and any not swept yet. */
    int tracked() {
        return fullAt.size();
    }

    private void sweep(long now) {
        // A conditional remove per entry: a bucket taken from meanwhile is not lost.
        fullAt.values().removeIf(full -> full - now <= 0);
        sweepAbove = Math.max(SWEEP_AT, 2 * fullAt.size());
    }
}
