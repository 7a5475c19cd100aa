package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.config.ConfigFiles.assertMistake;
import static org.popbridge.proxy.config.ConfigFiles.load;

import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.core.transport.Transport;

/** The transport: block: what binds, the defaults, and each mistake named with its line and key. */
class TransportConfigTest {

    @TempDir
    Path dir;

    @Test
    void everyKeyBinds() throws Exception {
        TransportConfig transport = load(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  type: nio
                  busy-poll: 120us
                """).transport();

        assertThat(transport).isEqualTo(new TransportConfig(TransportConfig.Type.NIO, Duration.ofNanos(120_000)));
        assertThat(transport.transport()).isEqualTo(Transport.NIO);
        assertThat(transport.whyNotEpoll()).isEqualTo("type: nio");
    }

    @Test
    void withoutTheBlockEpollIsUsedWhereItLoadsAndLoopsDoNotBusyPoll() throws Exception {
        TransportConfig transport = load(dir, "upstream: pop3s://mail.example.com\n").transport();

        assertThat(transport).isEqualTo(TransportConfig.defaults());
        assertThat(transport.busyPoll()).isZero();
        assertThat(transport.transport()).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
        assertThat(PopbridgeConfig.defaults().transport()).isEqualTo(TransportConfig.defaults());
    }

    @Test
    void busyPollReadsMicroseconds() throws Exception {
        assertThat(load(dir, """
                upstream: pop3s://mail.example.com
                transport: {busy-poll: 50us}
                """).transport().busyPoll()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(load(dir, """
                upstream: pop3s://mail.example.com
                transport: {busy-poll: 1ms}
                """).transport().busyPoll()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void anUnknownTypeIsNamedWithItsLine() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  type: kqueue
                """, "3: key 'transport.type': expected auto, epoll, io_uring or nio, got 'kqueue'");
    }

    @Test
    void aBusyPollPastOneMillisecondIsRefused() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  busy-poll: 2ms
                """, "3: key 'transport.busy-poll': must be between 0 and 1ms, got 2ms");
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  busy-poll: soon
                """, "3: key 'transport.busy-poll': not a duration: 'soon' (use e.g. 50us, 500ms, 30s, 10m, 1h)");
    }

    @Test
    void aNegativeBusyPollIsRefused() {
        assertThatThrownBy(() -> new TransportConfig(TransportConfig.Type.AUTO, Duration.ofNanos(-1_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be between 0 and 1ms, got -1us");
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  threads: 8
                """, "3: key 'transport.threads': unknown key (known here: busy-poll, type)");
    }

    @Test
    void epollIsRefusedWhereItDoesNotLoad() throws Exception {
        if (Epoll.isAvailable()) {
            assertThat(load(dir, """
                    upstream: pop3s://mail.example.com
                    transport: {type: epoll}
                    """).transport().transport()).isEqualTo(Transport.EPOLL);
        } else {
            assertThatThrownBy(() -> new TransportConfig(TransportConfig.Type.EPOLL, Duration.ZERO))
                    .hasMessageStartingWith("epoll does not load here (");
        }
    }

    @Test
    void ioUringIsUsedOnlyWhenAskedForAndRefusedWhereItDoesNotLoad() throws Exception {
        if (Transport.ioUringUnavailableReason() == null) {
            TransportConfig transport = load(dir, """
                    upstream: pop3s://mail.example.com
                    transport: {type: io_uring}
                    """).transport();
            assertThat(transport.transport()).isEqualTo(Transport.IO_URING);
            assertThat(transport.whyNotEpoll()).isEqualTo("type: io_uring");
        } else {
            assertThatThrownBy(() -> new TransportConfig(TransportConfig.Type.IO_URING, Duration.ZERO))
                    .hasMessageStartingWith("io_uring does not load here (");
        }
        assertThat(TransportConfig.defaults().transport()).isNotEqualTo(Transport.IO_URING);
    }

    @Test
    void ioUringWithABusyPollIsRefusedOnTheBusyPollLine() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                transport:
                  type: io_uring
                  busy-poll: 50us
                """, "4: key 'transport.busy-poll': io_uring's loops wait in the kernel and cannot busy-poll;"
                + " use 0, or type epoll or nio");
    }
}
