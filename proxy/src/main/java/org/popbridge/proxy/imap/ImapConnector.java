package org.popbridge.proxy.imap;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Consumer;

/**
 * Opens the connection to an IMAP upstream on the session's own event loop, as
 * {@link org.popbridge.proxy.upstream.UpstreamConnector} does for POP3 (whose scheme test is POP3's).
 */
public final class ImapConnector {

    /** Pipeline name of the TLS handler, so STARTTLS can add it in front of the codec. */
    public static final String TLS_HANDLER = "tls";

    private final ImapRoute route;

    public ImapConnector(ImapRoute route) {
        this.route = route;
    }

    public ImapRoute route() {
        return route;
    }

    /** Connects; {@code protocol} adds the IMAP handlers, behind TLS for {@link ImapScheme#IMAPS}. */
    public ChannelFuture connect(EventLoop loop, Consumer<ChannelPipeline> protocol) {
        return new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) route.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (route.scheme() == ImapScheme.IMAPS) {
                            channel.pipeline().addLast(TLS_HANDLER, route.newTlsHandler(channel.alloc()));
                        }
                        protocol.accept(channel.pipeline());
                    }
                })
                .connect(route.host(), route.port());
    }
}
