package org.popbridge.proxy.metrics.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/** Closes a connection at once when the endpoint already has its fill of them; one instance per endpoint. */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("popbridge.metrics.counted");

    private final AtomicInteger open = new AtomicInteger();
    private final int limit;

    ConnectionCap(int limit) {
        this.limit = limit;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            open.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }

    /** Connections counted now. */
    int open() {
        return open.get();
    }
}
