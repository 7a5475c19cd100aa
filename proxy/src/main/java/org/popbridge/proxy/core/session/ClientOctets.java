package org.popbridge.proxy.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.popbridge.proxy.core.metrics.ListenerMeters;

/**
 * Counts the octets a client sends and receives, for the audit log and the metrics. It sits just
 * after TLS (STLS puts TLS in front of it), so it counts POP3 or SMTP octets, not TLS records.
 */
public final class ClientOctets extends ChannelDuplexHandler {

    public static final String NAME = "client-octets";

    private final ListenerMeters meters;
    private long received;
    private long sent;

    public ClientOctets() {
        this(ListenerMeters.NONE);
    }

    /** @param meters where the octets are counted too, as they pass */
    public ClientOctets(ListenerMeters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
            meters.octetsFromClient(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent += buf.readableBytes();
            meters.octetsToClient(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }

    public long received() {
        return received;
    }

    public long sent() {
        return sent;
    }
}
