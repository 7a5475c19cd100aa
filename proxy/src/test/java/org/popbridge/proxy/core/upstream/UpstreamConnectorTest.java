package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.transport.AwaitedReplies;
import org.popbridge.proxy.core.transport.EventLoops;
import org.popbridge.proxy.core.transport.Transport;
import org.popbridge.proxy.testing.AvailableTransports;

/** Where and when a connect attempt reports, whatever fails: the adapters rely on it. */
class UpstreamConnectorTest {

    private EventLoopGroup group;
    private EventLoop loop;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** What the session's loop saw of the attempt: whether it had returned, and on which thread it heard. */
    private record Outcome(boolean failed, boolean returnedFirst, boolean onTheLoop, Channel channel) {
    }

    @Test
    void aChannelThatCannotBeCreatedFailsOnTheSessionsLoopAndNeedsNoClosing() throws Exception {
        UpstreamConnector connector = new UpstreamConnector(endpoint(9), () -> {
            throw new ChannelException("Failed to open a socket.", new SocketException("Too many open files"));
        });

        Outcome outcome = attempt(connector);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.returnedFirst()).as("never inside connect, where the session is still setting up").isTrue();
        assertThat(outcome.onTheLoop()).as("heard on the session's own thread, not netty's global one").isTrue();
        assertThat(outcome.channel().isRegistered()).isFalse();
        // Netty's own close of such a channel throws, which used to skip the session's failure path.
        loop.submit(() -> UpstreamConnector.close(outcome.channel())).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectingChannelIsRegisteredWhenConnectReturnsSoCloseReachesIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UpstreamConnector connector = new UpstreamConnector(endpoint(server.getLocalPort()));
            Channel channel = loop.submit(() -> {
                Channel connecting = connector.connect(loop, pipeline -> { }).channel();
                assertThat(connecting.isRegistered()).isTrue();
                return connecting;
            }).get(5, TimeUnit.SECONDS);
            loop.submit(() -> UpstreamConnector.close(channel)).get(5, TimeUnit.SECONDS);
            assertThat(channel.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One more handler on every read and flush is worth it only where a loop spins for the answer. */
    @Test
    void anUpstreamChannelIsCountedForBusyPollingOnlyWhereItsLoopBusyPolls() throws Exception {
        assertThat(trackedOn(new EventLoops(Transport.NIO, Duration.ZERO))).isFalse();
        // epoll on Linux (TransportTest makes sure it loads there).
        List<Transport> spinning = AvailableTransports.all().stream().filter(Transport::busyPolls).toList();
        for (Transport transport : spinning) {
            assertThat(trackedOn(new EventLoops(transport, Duration.ZERO))).as(transport.description()).isFalse();
            assertThat(trackedOn(new EventLoops(transport, Duration.ofNanos(50_000)))).as(transport.description()).isTrue();
        }
    }

    /** Whether an upstream channel connected from one of these loops has the busy-poll count; stops the loops. */
    private static boolean trackedOn(EventLoops loops) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EventLoop worker = loops.workers().next();
            UpstreamConnector connector = new UpstreamConnector(endpoint(server.getLocalPort()));
            Channel channel = worker.submit(() -> connector.connect(worker, pipeline -> { }).channel())
                    .get(5, TimeUnit.SECONDS);
            boolean tracked = worker.submit(() -> channel.pipeline().get(AwaitedReplies.TRACKER) != null)
                    .get(5, TimeUnit.SECONDS);
            worker.submit(() -> UpstreamConnector.close(channel)).get(5, TimeUnit.SECONDS);
            return tracked;
        } finally {
            loops.shutdown();
        }
    }

    private Outcome attempt(UpstreamConnector connector) throws Exception {
        CompletableFuture<Outcome> heard = new CompletableFuture<>();
        loop.execute(() -> {
            boolean[] returned = {false};
            ChannelFuture connected = connector.connect(loop, pipeline -> { });
            connected.addListener(done -> heard.complete(
                    new Outcome(!done.isSuccess(), returned[0], loop.inEventLoop(), connected.channel())));
            returned[0] = true;
        });
        return heard.get(5, TimeUnit.SECONDS);
    }

    private static UpstreamEndpoint endpoint(int port) {
        Duration timeout = Duration.ofSeconds(5);
        return new UpstreamEndpoint(UpstreamScheme.POP3, "127.0.0.1", port, null, timeout, timeout, timeout);
    }
}
