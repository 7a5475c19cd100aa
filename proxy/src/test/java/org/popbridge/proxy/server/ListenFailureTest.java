package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;

/** A listener that cannot be bound says why in words, with the fix for a privileged port. */
class ListenFailureTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;

    @Test
    void aPrivilegedPortRefusedNamesTheCapabilityAndBothWaysToGrantIt() {
        String text = ListenFailure.describe(ListenerConfig.parse("pop3://0.0.0.0:110"),
                new BindException("Permission denied"));

        assertThat(text).startsWith("cannot listen on pop3://0.0.0.0:110: Permission denied (ports below 1024 need")
                .contains("CAP_NET_BIND_SERVICE", "setcap cap_net_bind_service=+ep", "AmbientCapabilities=CAP_NET_BIND_SERVICE");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theNativeTransportsRefusalGetsTheSameHint() {
        Epoll.ensureAvailability();
        String text = ListenFailure.describe(ListenerConfig.parse("pop3://0.0.0.0:110"),
                new Errors.NativeIoException("bind", -13));

        assertThat(text).startsWith("cannot listen on pop3://0.0.0.0:110: bind(..) failed with error(-13): Permission denied (ports below 1024 need")
                .contains("CAP_NET_BIND_SERVICE");
    }

    @Test
    void anUnprivilegedPortRefusedGetsNoCapabilityHint() {
        String text = ListenFailure.describe(ListenerConfig.parse("pop3://0.0.0.0:2110"),
                new BindException("Permission denied"));

        assertThat(text).isEqualTo("cannot listen on pop3://0.0.0.0:2110: Permission denied");
    }

    @Test
    void aPortInUseAtStartSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PopbridgeConfig config = PopbridgeConfig.defaults()
                    .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:" + taken.getLocalPort())))
                    .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:1"))
                    .withStateDir(stateDir);

            assertThatThrownBy(() -> ProxyServer.start(config).close())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cannot listen on pop3://127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageEndingWith("(another program, or another popbridge, listens there already)");
        }
    }
}
