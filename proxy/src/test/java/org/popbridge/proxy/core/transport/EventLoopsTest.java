package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.testing.AvailableTransports;

/**
 * Busy-polling loops must still do all a loop does: serve sockets, run tasks handed to them
 * from other threads (which, while a loop spins, no wake-up announces), fire timers, and stop.
 * The connections that spin are those with {@link AwaitedReplies#tracker()}, as upstream ones have.
 */
class EventLoopsTest {

    private static final Duration SPIN = Duration.ofNanos(200_000);

    @Test
    void busyPollingLoopsServeRoundTripsAndStop() throws Exception {
        for (Transport transport : TransportTest.busyPollingTransports()) {
            EventLoops loops = new EventLoops(transport, SPIN);
            try {
                assertThat(loops.transport()).isEqualTo(transport);
                assertThat(Transport.of(loops.workers().next())).isEqualTo(transport);
                echoRoundTrips(loops, 300);
            } finally {
                loops.shutdown();
            }
            assertThat(loops.workers().isTerminated()).isTrue();
            assertThat(loops.acceptors().isTerminated()).isTrue();
        }
    }

    @Test
    void tasksFromOtherThreadsRunWhetherTheLoopSpinsOrSleeps() throws Exception {
        for (Transport transport : TransportTest.busyPollingTransports()) {
            EventLoops loops = new EventLoops(transport, SPIN);
            try {
                // A connection whose server never answers keeps the loop awaiting a reply: every
                // time it wakes, it spins before it blocks again.
                Channel silent = new ServerBootstrap()
                        .group(loops.acceptors(), loops.workers())
                        .channel(loops.transport().serverChannel())
                        .childHandler(new ChannelInboundHandlerAdapter())
                        .bind("127.0.0.1", 0).sync().channel();
                Channel waiting = new Bootstrap()
                        .group(loops.workers())
                        .channelFactory(loops.transport().socketChannels())
                        .handler(AwaitedReplies.tracker())
                        .connect(silent.localAddress()).sync().channel();
                waiting.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).sync();
                EventLoop loop = waiting.eventLoop();
                for (int task = 0; task < 400; task++) {
                    // Pauses around the spin's length: some tasks land while it spins, some after it blocked.
                    LockSupport.parkNanos((task % 8) * 60_000L);
                    int expected = task;
                    assertThat(loop.submit(() -> expected).get(5, TimeUnit.SECONDS)).isEqualTo(expected);
                }
                assertThat(loop.schedule(() -> "fired", 2, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
                        .isEqualTo("fired");
                waiting.close().sync();
                silent.close().sync();
            } finally {
                loops.shutdown();
            }
        }
    }

    @Test
    void zeroTurnsBusyPollingOffAndANegativeSpinIsRefused() throws Exception {
        EventLoops loops = new EventLoops(Transport.NIO, Duration.ZERO);
        try {
            assertThat(loops.busyPoll()).isZero();
            echoRoundTrips(loops, 20);
        } finally {
            loops.shutdown();
        }
        assertThatThrownBy(() -> new EventLoops(Transport.NIO, Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTransportServesRoundTripsWithoutBusyPolling() throws Exception {
        for (Transport transport : AvailableTransports.all()) {
            EventLoops loops = new EventLoops(transport, Duration.ZERO);
            try {
                assertThat(Transport.of(loops.workers().next())).isEqualTo(transport);
                echoRoundTrips(loops, 100);
            } finally {
                loops.shutdown();
            }
        }
    }

    @Test
    void ioUringLoopsRefuseToBusyPoll() {
        assertThatThrownBy(() -> new EventLoops(Transport.IO_URING, SPIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("io_uring (native) loops cannot busy-poll");
    }

    /** A one-octet echo server and client on the loops, {@code count} round trips one after another. */
    private static void echoRoundTrips(EventLoops loops, int count) throws Exception {
        Channel server = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(loops.transport().serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ctx.writeAndFlush(message);
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        BlockingQueue<Integer> echoes = new LinkedBlockingQueue<>();
        Channel client = new Bootstrap()
                .group(loops.workers())
                .channelFactory(loops.transport().socketChannels())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // As an upstream connection is: its loop spins while an echo is awaited.
                        channel.pipeline().addLast(AwaitedReplies.tracker(), new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf echo) {
                                while (echo.isReadable()) {
                                    echoes.add((int) echo.readByte());
                                }
                            }
                        });
                    }
                })
                .connect((InetSocketAddress) server.localAddress()).sync().channel();
        try {
            for (int trip = 0; trip < count; trip++) {
                client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) trip}));
                assertThat(echoes.poll(5, TimeUnit.SECONDS)).isEqualTo((int) (byte) trip);
            }
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }
}
