package org.popbridge.proxy.core.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Writes the PROXY header (HAProxy's PROXY protocol, section 2) as the first octets of an
 * upstream connection, ahead of TLS, then leaves the pipeline: the client's address as the
 * source, the upstream's as the destination. Without a client address it writes LOCAL, which
 * tells the server to take the connection's own addresses.
 */
final class ProxyHeaderWriter extends ChannelInboundHandlerAdapter {

    static final String ENCODER = "proxy-header-encoder";
    static final String NAME = "proxy-header";

    private final ProxyHeader header;
    private final InetSocketAddress client;

    private ProxyHeaderWriter(ProxyHeader header, InetSocketAddress client) {
        this.header = header;
        this.client = client;
    }

    /** Adds the encoder and the writer; they must come before TLS and the protocol's handlers. */
    static void install(ChannelPipeline pipeline, ProxyHeader header, InetSocketAddress client) {
        pipeline.addLast(ENCODER, HAProxyMessageEncoder.INSTANCE);
        pipeline.addLast(NAME, new ProxyHeaderWriter(header, client));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Written before channelActive travels on, so it precedes a TLS ClientHello and any command.
        ctx.writeAndFlush(message(header, client, ctx.channel().remoteAddress()), ctx.voidPromise());
        ctx.pipeline().remove(ENCODER);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /**
     * The header for a connection from {@code client} to {@code upstream}. An IPv4 address
     * beside an IPv6 one is written IPv4-mapped (RFC 4291 section 2.5.5.2), as a header has one
     * address family for both ends.
     */
    static HAProxyMessage message(ProxyHeader header, InetSocketAddress client, SocketAddress upstream) {
        if (client == null || client.getAddress() == null || !(upstream instanceof InetSocketAddress server)
                || server.getAddress() == null) {
            return new HAProxyMessage(header.version(), HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN,
                    null, null, 0, 0);
        }
        InetAddress source = client.getAddress();
        InetAddress destination = server.getAddress();
        boolean ipv4 = source instanceof Inet4Address && destination instanceof Inet4Address;
        return new HAProxyMessage(header.version(), HAProxyCommand.PROXY,
                ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                written(source, ipv4), written(destination, ipv4), client.getPort(), server.getPort());
    }

    private static String written(InetAddress address, boolean ipv4) {
        if (ipv4 || !(address instanceof Inet4Address)) {
            return NetUtil.toAddressString(address);
        }
        return "::ffff:" + address.getHostAddress();
    }
}
