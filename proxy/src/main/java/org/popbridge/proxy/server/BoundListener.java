package org.popbridge.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import org.popbridge.proxy.config.ListenerConfig;

/**
 * A listening socket that outlives reloads: a reload that keeps the listener's address hands
 * it the next generation's initializer, and the connections accepted from then on are set up
 * by it, while those accepted before keep the pipeline they were given.
 */
final class BoundListener {

    private final ListenerAddress address;
    private final Switch initializer;
    private Channel channel;

    BoundListener(ListenerAddress address, ChannelInitializer<SocketChannel> first) {
        this.address = address;
        this.initializer = new Switch(first);
    }

    /**
     * Where a listener is bound, as the file says it: a reload keeps the socket of a listener
     * whose host and port are unchanged. {@code ordinal} tells apart listeners on the same
     * host with port 0 (any free port), as tests use.
     */
    record ListenerAddress(String host, int port, int ordinal) {

        static ListenerAddress of(ListenerConfig listener, int ordinal) {
            return new ListenerAddress(listener.host(), listener.port(), ordinal);
        }
    }

    ListenerAddress address() {
        return address;
    }

    /** What the server bootstrap gives each accepted connection. */
    ChannelInitializer<SocketChannel> childHandler() {
        return initializer;
    }

    void bound(Channel serverChannel) {
        this.channel = serverChannel;
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** New connections are set up by {@code next} from now on. */
    void use(ChannelInitializer<SocketChannel> next) {
        initializer.current = next;
    }

    /** Stops accepting; the sessions it accepted go on. */
    ChannelFuture close() {
        return channel.close();
    }

    /**
     * Hands each new connection to the current generation's initializer, added to the
     * connection's pipeline: netty runs an initializer as soon as it is added to a registered
     * channel, so the connection is set up wholly by one generation, never half by each.
     */
    private static final class Switch extends ChannelInitializer<SocketChannel> {

        private volatile ChannelInitializer<SocketChannel> current;

        Switch(ChannelInitializer<SocketChannel> first) {
            this.current = first;
        }

        @Override
        protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(current);
        }
    }
}
