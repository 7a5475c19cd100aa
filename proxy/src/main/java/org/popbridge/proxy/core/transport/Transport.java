package org.popbridge.proxy.core.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * A netty transport: what runs the event loops and the sockets on them. Epoll reads and writes
 * without the JDK selector's bookkeeping and wakes a loop once per burst of readiness, which is
 * what a proxy's small replies cost most (two reads, two writes and the wake-ups in between);
 * NIO serves wherever the native library is not there or does not load. Not io_uring: netty's
 * io_uring channels (4.2.17, 4.2.18) can miss a server's reset after a write, leaving a session
 * hanging (docs/BENCHMARKS.md; bench/io-uring-reset-check.sh). A channel must be of
 * the transport of the loop it is registered with, so an upstream connection takes the kind
 * of its client's loop ({@link #of(EventLoop)}).
 */
public enum Transport {

    EPOLL("epoll (native)") {
        @Override
        IoHandlerFactory ioHandlers(SelectStrategyFactory strategies) {
            return EpollIoHandler.newFactory(0, strategies);
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public ChannelFactory<? extends SocketChannel> socketChannels() {
            return EpollSocketChannel::new;
        }
    },

    NIO("nio") {
        @Override
        IoHandlerFactory ioHandlers(SelectStrategyFactory strategies) {
            return NioIoHandler.newFactory(SelectorProvider.provider(), strategies);
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        public ChannelFactory<? extends SocketChannel> socketChannels() {
            return NioSocketChannel::new;
        }
    };

    private final String description;

    Transport(String description) {
        this.description = description;
    }

    /** Loops that poll as {@code strategies} say; each loop gets a strategy of its own. */
    abstract IoHandlerFactory ioHandlers(SelectStrategyFactory strategies);

    /** Loops that block as soon as they have nothing to do. */
    public IoHandlerFactory ioHandlers() {
        return ioHandlers(DefaultSelectStrategyFactory.INSTANCE);
    }

    public abstract Class<? extends ServerSocketChannel> serverChannel();

    public abstract ChannelFactory<? extends SocketChannel> socketChannels();

    /** How the start-up line names it. */
    public String description() {
        return description;
    }

    /** Why epoll does not load here, or null when it does. */
    public static String epollUnavailableReason() {
        return Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
    }

    /** The transport whose channels register with {@code loop}. */
    public static Transport of(EventLoop loop) {
        if (loop instanceof IoEventLoop io && Epoll.isAvailable() && io.isCompatible(EpollIoHandle.class)) {
            return EPOLL;
        }
        return NIO;
    }
}
