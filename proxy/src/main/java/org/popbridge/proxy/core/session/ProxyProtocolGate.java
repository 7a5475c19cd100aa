package org.popbridge.proxy.core.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of a listener's pipeline where the PROXY protocol is on (HAProxy's PROXY protocol
 * specification, sections 2.1 and 2.2): it holds channelActive back until the load balancer's
 * header is read, sets {@link ClientAddress#KEY} from it, then leaves the pipeline and lets the
 * session start, so every handler behind it sees the real client from its first event. A peer
 * outside the trusted networks, and a header that is missing, malformed or late, close the
 * connection without a greeting and one line at INFO.
 */
public final class ProxyProtocolGate extends ChannelInboundHandlerAdapter {

    /** Pipeline names of netty's header decoder and of the gate behind it. */
    public static final String DECODER = "proxy-protocol-decoder";
    public static final String NAME = "proxy-protocol";

    private enum Stage { WAITING, PASSED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolGate.class);

    private final TrustedProxies trusted;
    private final String listener;
    private Stage stage = Stage.WAITING;
    private ScheduledFuture<?> timeout;

    private ProxyProtocolGate(TrustedProxies trusted, String listener) {
        this.trusted = trusted;
        this.listener = listener;
    }

    /** Puts the decoder and the gate at the end of {@code pipeline}, which must be in front of TLS. */
    public static void install(ChannelPipeline pipeline, TrustedProxies trusted, String listener) {
        pipeline.addLast(DECODER, new HAProxyMessageDecoder());
        pipeline.addLast(NAME, new ProxyProtocolGate(trusted, listener));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress peer = ctx.channel().remoteAddress();
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !trusted.trusts(inet.getAddress())) {
            close(ctx, "not from a trusted proxy (proxy-protocol.trusted: " + trusted + ")");
            return;
        }
        long millis = trusted.headerTimeout().toMillis();
        timeout = ctx.executor().schedule(SessionLog.carried(() -> close(ctx, "no PROXY header within " + millis + " ms")),
                millis, TimeUnit.MILLISECONDS);
        // Not passed on: the session starts once the header says who the client is.
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stage != Stage.WAITING || !(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            String peer = ClientAddress.describe(ctx.channel());
            InetSocketAddress client = clientOf(header);
            if (client != null) {
                ctx.channel().attr(ClientAddress.KEY).set(client);
            }
            log.debug("[{}] PROXY {} {} from {}: client {}", id(ctx), header.protocolVersion(), header.command(),
                    peer, ClientAddress.describe(ctx.channel()));
        } finally {
            header.release();
        }
        stage = Stage.PASSED;
        cancelTimeout();
        // Out first, so that the octets after the header (the decoder hands them on) skip the gate.
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /**
     * The client's address from a header: the source of a TCP connection; none for LOCAL (the
     * proxy's own health check) or a protocol that has no IP source, where the peer stands.
     */
    static InetSocketAddress clientOf(HAProxyMessage header) {
        boolean tcp = header.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                || header.proxiedProtocol() == HAProxyProxiedProtocol.TCP6;
        if (header.command() != HAProxyCommand.PROXY || !tcp) {
            return null;
        }
        InetAddress source = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return source == null ? null : new InetSocketAddress(source, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (stage == Stage.PASSED) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        close(ctx, (cause instanceof DecoderException ? "malformed PROXY header: " : "failed before its PROXY header: ")
                + RootCause.describe(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (stage == Stage.WAITING) {
            stage = Stage.CLOSED;
            // At DEBUG: a load balancer's TCP health check connects and leaves just so, every few seconds.
            log.debug("[{}] connection from {} on {} ended before its PROXY header", id(ctx),
                    ClientAddress.describe(ctx.channel()), listener);
        }
        // Nothing behind the gate saw the connection start, so nothing hears it end.
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Held back with channelActive: the session has not started.
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Held back with channelActive: the session has not started.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ReferenceCountUtil.release(event);
    }

    private void close(ChannelHandlerContext ctx, String why) {
        if (stage != Stage.WAITING) {
            return;
        }
        stage = Stage.CLOSED;
        cancelTimeout();
        log.info("[{}] connection from {} on {} closed without a greeting: {}", id(ctx),
                ClientAddress.describe(ctx.channel()), listener, why);
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private static String id(ChannelHandlerContext ctx) {
        return ctx.channel().id().asShortText();
    }
}
