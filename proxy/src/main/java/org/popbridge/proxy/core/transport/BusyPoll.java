package org.popbridge.proxy.core.transport;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.time.Duration;

/**
 * Polls without blocking for a short while before an event loop blocks in epoll_wait (or
 * select), while a server's answer is awaited on it ({@link AwaitedReplies}). A server answers
 * tens of microseconds after the command the proxy forwarded; a loop that has gone to sleep
 * meanwhile is woken by the kernel, and on a virtual machine a sleeping CPU takes about as long
 * again to wake, which is most of what a NOOP or a small RETR costs through a proxy. Bounded:
 * once {@code spinNanos} pass without readiness the loop blocks as usual; with no answer
 * awaited (waiting for clients, or idle) it blocks at once. The same idea as Linux's
 * {@code net.core.busy_poll}, one level up.
 *
 * <p>One instance per loop: a select strategy is called only from its own loop's thread.
 */
final class BusyPoll implements SelectStrategy {

    private final long spinNanos;
    /** This loop's count; taken on the first call, which is on the loop's thread. */
    private AwaitedReplies awaited;
    /** When the current run of empty polls began, or -1 while there is work. */
    private long idleSince = -1;

    private BusyPoll(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** Strategies that spin up to {@code spin} per loop, or netty's default for a zero duration. */
    static SelectStrategyFactory factory(Duration spin) {
        if (spin.isZero()) {
            return DefaultSelectStrategyFactory.INSTANCE;
        }
        long spinNanos = spin.toNanos();
        return () -> new BusyPoll(spinNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            idleSince = -1;
            return ready;
        }
        if (awaited == null) {
            awaited = AwaitedReplies.ofThisLoop();
        }
        if (!awaited.any()) {
            idleSince = -1;
            return SelectStrategy.SELECT;
        }
        long now = System.nanoTime();
        if (idleSince < 0) {
            idleSince = now;
        } else if (now - idleSince >= spinNanos) {
            idleSince = -1;
            return SelectStrategy.SELECT;
        }
        Thread.onSpinWait();
        return SelectStrategy.CONTINUE;
    }
}
