package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.popbridge.proxy.testing.AvailableTransports;

class TransportTest {

    /** The jar carries the native library for Linux on x86_64 and aarch64: there, epoll must load. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void epollIsTheTransportOnLinux() {
        assertThat(Transport.epollUnavailableReason()).isNull();
    }

    @Test
    void aChannelIsOfItsLoopsTransport() throws Exception {
        for (Transport transport : AvailableTransports.all()) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
            try {
                assertThat(Transport.of(group.next())).isEqualTo(transport);
                SocketChannel channel = transport.socketChannels().newChannel();
                // Registering a channel of another transport fails; this one must be accepted.
                assertThat(group.register(channel).sync().isSuccess()).isTrue();
                channel.close().sync();
            } finally {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void onlyIoUringCannotBusyPoll() {
        assertThat(Transport.EPOLL.busyPolls()).isTrue();
        assertThat(Transport.NIO.busyPolls()).isTrue();
        assertThat(Transport.IO_URING.busyPolls()).isFalse();
    }

    /** The transports that load here and whose loops can busy-poll. */
    static List<Transport> busyPollingTransports() {
        return AvailableTransports.all().stream().filter(Transport::busyPolls).toList();
    }
}
