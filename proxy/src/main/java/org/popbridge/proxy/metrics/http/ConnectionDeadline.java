package org.popbridge.proxy.metrics.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connection when its time is up, whatever it is doing: an idle timer would be reset
 * by each byte of a client that trickles its headers, a deadline is not.
 */
final class ConnectionDeadline extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    ConnectionDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
