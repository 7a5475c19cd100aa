package org.popbridge.oauth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.popbridge.oauth.testing.MutableClock;

/** A pause that records each wait, moves the test clock by it, and lets the test act at the n-th wait. */
final class RecordingPause implements Pause {
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final MutableClock clock;
    private volatile IntConsumer atWait = n -> { };
    private volatile Duration extra = Duration.ZERO;

    RecordingPause(MutableClock clock) {
        this.clock = clock;
    }

    /** Runs the action with the wait's number (1, 2, ...) once the clock has moved. */
    RecordingPause onWait(IntConsumer action) {
        this.atWait = action;
        return this;
    }

    /** Each wait moves the clock this much further than asked (a machine that slept). */
    RecordingPause oversleeping(Duration by) {
        this.extra = by;
        return this;
    }

    @Override
    public CompletableFuture<Void> after(Duration wait) {
        waits.add(wait);
        clock.advance(wait.plus(extra));
        atWait.accept(waits.size());
        return CompletableFuture.completedFuture(null);
    }
}
