package org.popbridge.proxy.core.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.NettyRuntime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The process's event loops, all of one transport: one loop that accepts connections, and one
 * worker loop per core that carries the sessions. One per core, not netty's two: a session's
 * two channels share one loop, so a second loop per core only adds context switches between
 * sessions that could have shared a thread. Only the workers may busy-poll: servers' answers are
 * awaited there, while an accept is rare and nothing follows it closely.
 */
public final class EventLoops {

    private final Transport transport;
    private final Duration busyPoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    /**
     * Starts the loops.
     *
     * @param busyPoll how long a worker polls without blocking while it awaits an answer; zero blocks at once
     */
    public EventLoops(Transport transport, Duration busyPoll) {
        if (busyPoll.isNegative()) {
            throw new IllegalArgumentException("busy-poll must not be negative: " + busyPoll);
        }
        if (!busyPoll.isZero() && !transport.busyPolls()) {
            throw new IllegalArgumentException(transport.description() + " loops cannot busy-poll");
        }
        this.transport = transport;
        this.busyPoll = busyPoll;
        this.acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        this.workers = new MultiThreadIoEventLoopGroup(NettyRuntime.availableProcessors(),
                transport.ioHandlers(BusyPoll.factory(busyPoll)));
        if (!busyPoll.isZero()) {
            AwaitedReplies.countFor(workers);
        }
    }

    public Transport transport() {
        return transport;
    }

    public Duration busyPoll() {
        return busyPoll;
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /** Stops the workers, then the acceptor, each within a few seconds. */
    public void shutdown() throws InterruptedException {
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
