package org.popbridge.proxy.core.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.metrics.ListenerMeters;

/**
 * Counts each client TLS handshake of a listener, by the protocol version and cipher suite it
 * agreed on, or as failed: how many clients still need the legacy profile. It hears the
 * handshake whether TLS came with the connection or after STLS/STARTTLS, since the handshake's
 * event passes every handler behind TLS.
 */
public final class HandshakeMeter extends ChannelInboundHandlerAdapter {

    /** Pipeline name. */
    public static final String NAME = "tls-meter";

    private final ListenerMeters meters;

    public HandshakeMeter(ListenerMeters meters) {
        this.meters = meters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                TlsSummary agreed = NegotiatedTls.of(ctx.pipeline().get(SslHandler.class));
                if (!agreed.equals(TlsSummary.NONE)) {
                    meters.clientTls(agreed.protocol(), agreed.cipher());
                }
            } else {
                meters.clientTlsFailed();
            }
        }
        super.userEventTriggered(ctx, event);
    }
}
