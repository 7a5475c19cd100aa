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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * A netty transport: what runs the event loops and the sockets on them. Epoll reads and writes
 * without the JDK selector's bookkeeping and wakes a loop once per burst of readiness, which is
 * what a proxy's small replies cost most (two reads, two writes and the wake-ups in between);
 * NIO serves wherever the native library is not there or does not load. io_uring is chosen,
 * never automatic: it queues reads and writes in a ring the kernel shares with the loop, so a
 * loop with many sessions ready at once enters the kernel once for all of them (a sixth of
 * epoll's system calls per NOOP at 32 sessions), but a single session gains nothing, and many
 * hardened hosts turn io_uring off; its input is awaited with a one-shot poll, or a server's
 * reset can go unseen ({@link NettyProperties}; docs/BENCHMARKS.md, "Transports"). A channel
 * must be of the transport of the loop it is registered with, so an upstream connection takes
 * the kind of its client's loop ({@link #of(EventLoop)}).
 */
public enum Transport {

    EPOLL("epoll (native)", true) {
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

    /**
     * Its loop waits for completions inside io_uring_enter, where no select strategy can spin:
     * it takes none ({@link EventLoops} refuses a busy-poll for it).
     */
    IO_URING("io_uring (native)", false) {
        @Override
        IoHandlerFactory ioHandlers(SelectStrategyFactory strategies) {
            return IoUringIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannel() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        public ChannelFactory<? extends SocketChannel> socketChannels() {
            return IoUringSocketChannel::new;
        }
    },

    NIO("nio", true) {
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

    static {
        // io_uring reads its settings once, when its classes load, and only Transport loads them.
        NettyProperties.setIoUringDefaults(System.getProperties());
    }

    private final String description;
    private final boolean busyPolls;

    Transport(String description, boolean busyPolls) {
        this.description = description;
        this.busyPolls = busyPolls;
    }

    /** Loops that poll as {@code strategies} say; each loop gets a strategy of its own. */
    abstract IoHandlerFactory ioHandlers(SelectStrategyFactory strategies);

    /** Loops that block as soon as they have nothing to do. */
    public IoHandlerFactory ioHandlers() {
        return ioHandlers(DefaultSelectStrategyFactory.INSTANCE);
    }

    public abstract Class<? extends ServerSocketChannel> serverChannel();

    public abstract ChannelFactory<? extends SocketChannel> socketChannels();

    /** Whether its loops can poll without blocking for a while ({@link BusyPoll}). */
    public boolean busyPolls() {
        return busyPolls;
    }

    /** How the start-up line names it. */
    public String description() {
        return description;
    }

    /** Why epoll does not load here, or null when it does. */
    public static String epollUnavailableReason() {
        return Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
    }

    /** Why io_uring does not load here, or null when it does. */
    public static String ioUringUnavailableReason() {
        return IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
    }

    /** The transport whose channels register with {@code loop}. */
    public static Transport of(EventLoop loop) {
        if (loop instanceof IoEventLoop io) {
            if (Epoll.isAvailable() && io.isCompatible(EpollIoHandle.class)) {
                return EPOLL;
            }
            if (IoUring.isAvailable() && io.isCompatible(IoUringIoHandle.class)) {
                return IO_URING;
            }
        }
        return NIO;
    }
}
