package org.popbridge.proxy.metrics.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP endpoint Prometheus scrapes, on an event loop of its own so that a scrape never
 * delays a mail session, and a flood of scrapes never takes one's thread.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final EventLoopGroup loop;
    private final Channel channel;

    private MetricsEndpoint(EventLoopGroup loop, Channel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** Binds {@code host:port} and serves {@code content} within {@code limits}. */
    public static MetricsEndpoint bind(String host, int port, EndpointContent content, EndpointLimits limits)
            throws InterruptedException {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ConnectionCap cap = new ConnectionCap(limits.connections());
        try {
            Channel channel = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("cap", cap)
                                    .addLast("deadline", new ConnectionDeadline(limits.requestTimeout()))
                                    .addLast("http", new HttpServerCodec(limits.requestLineOctets(),
                                            limits.headerOctets(), limits.bodyOctets()))
                                    .addLast("aggregator", new HttpObjectAggregator(limits.bodyOctets()))
                                    .addLast("probes", new ProbeRequests(content));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new MetricsEndpoint(loop, channel);
        } catch (InterruptedException | RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The address bound (the port chosen, with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().await(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
