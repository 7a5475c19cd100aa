package org.popbridge.proxy.core.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Opens the connection to the upstream on the client's own event loop, so both halves of a
 * session run on one thread and never need locks.
 */
public final class UpstreamConnector {

    /** Pipeline name of the TLS handler, so STLS or STARTTLS can add it in front of the codec. */
    public static final String TLS_HANDLER = "tls";

    private final UpstreamEndpoint endpoint;
    private final ForwardingWarning forwardingWarning = new ForwardingWarning();

    public UpstreamConnector(UpstreamEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }

    /** Where sessions to this upstream say, once, that it could not be told their client's address. */
    public ForwardingWarning forwardingWarning() {
        return forwardingWarning;
    }

    /** Connects for a session whose client's address is unknown; see {@link #connect(EventLoop, InetSocketAddress, Consumer)}. */
    public ChannelFuture connect(EventLoop loop, Consumer<ChannelPipeline> protocol) {
        return connect(loop, null, protocol);
    }

    /**
     * Connects; {@code protocol} adds the protocol's handlers, behind TLS for an implicit-TLS
     * scheme, and behind the PROXY header naming {@code client} where the endpoint sends one.
     */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress client, Consumer<ChannelPipeline> protocol) {
        ProxyHeader header = endpoint.forwarding().proxyHeader();
        return new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) endpoint.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (header != ProxyHeader.NONE) {
                            // The header goes first on the wire, before even a TLS ClientHello.
                            ProxyHeaderWriter.install(channel.pipeline(), header, client);
                        }
                        if (endpoint.scheme().implicitTls()) {
                            channel.pipeline().addLast(TLS_HANDLER, endpoint.newTlsHandler(channel.alloc()));
                        }
                        protocol.accept(channel.pipeline());
                    }
                })
                .connect(endpoint.host(), endpoint.port());
    }
}
