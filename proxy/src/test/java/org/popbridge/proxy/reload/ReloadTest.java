package org.popbridge.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.server.ProxyServer;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * A reload (issue 13): new sessions start under the new settings, sessions already open finish
 * under the settings they started with, and a configuration that cannot be served changes nothing.
 */
class ReloadTest {

    @TempDir
    Path stateDir;

    private final List<AutoCloseable> servers = new ArrayList<>();
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private ScriptedPop3Server mailbox(String subject) throws Exception {
        ScriptedPop3Server server = new ScriptedPop3Server("alice", "pw",
                List.of(MessageSource.of("Subject: " + subject + "\r\n\r\nbody\r\n")));
        servers.add(server);
        return server;
    }

    /** A config with {@code listeners} (YAML list items), the upstream and a filter stamping {@code generation}. */
    private PopbridgeConfig config(String listeners, int upstreamPort, String generation, String more) throws ConfigException {
        String yaml = """
                listen:
                %s
                state-dir: %s
                upstream: pop3://127.0.0.1:%d
                filters:
                  - headers:
                      add: { X-Generation: %s }
                %s
                """.formatted(listeners, stateDir, upstreamPort, generation, more);
        return new ConfigLoader().load(Path.of("reload.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String retrieve(RawPop3Client client) throws Exception {
        RawPop3Client.expectOk(client.command("RETR 1"));
        return new String(client.readBody(), StandardCharsets.ISO_8859_1);
    }

    private static RawPop3Client greeted(int port) throws Exception {
        RawPop3Client client = RawPop3Client.plain(port);
        RawPop3Client.expectOk(client.readLine());
        return client;
    }

    @Test
    void sessionsOpenBeforeAReloadFinishOnTheirSettingsAndNewOnesGetTheNew() throws Exception {
        ScriptedPop3Server first = mailbox("from the first server");
        ScriptedPop3Server second = mailbox("from the second server");
        String listeners = "  - pop3://127.0.0.1:0";
        proxy = ProxyFixture.start(config(listeners, first.port(), "one", ""));
        int port = proxy.plainPort();
        try (RawPop3Client loggedIn = greeted(port).login("alice", "pw");
             RawPop3Client greetedOnly = greeted(port)) {
            proxy.server().reload(config(listeners, second.port(), "two", ""));

            assertThat(proxy.plainPort()).as("the listener kept its socket").isEqualTo(port);
            assertThat(retrieve(loggedIn)).contains("X-Generation: one", "Subject: from the first server");
            // Greeted before the reload, logged in after: the session started under the old settings.
            greetedOnly.login("alice", "pw");
            assertThat(retrieve(greetedOnly)).contains("X-Generation: one", "Subject: from the first server");
            try (RawPop3Client fresh = greeted(port).login("alice", "pw")) {
                assertThat(retrieve(fresh)).contains("X-Generation: two", "Subject: from the second server")
                        .doesNotContain("X-Generation: one");
            }
        }
        // The logins each server saw: the two sessions opened before the reload, then the fresh one.
        assertThat(first.commandsSeen()).filteredOn("USER alice"::equals).hasSize(2);
        assertThat(second.commandsSeen()).filteredOn("USER alice"::equals).hasSize(1);
    }

    @Test
    void aConfigurationThatCannotBeServedIsRefusedAndTheRunningOneStays() throws Exception {
        ScriptedPop3Server first = mailbox("from the first server");
        ScriptedPop3Server second = mailbox("from the second server");
        String listeners = "  - pop3://127.0.0.1:0";
        proxy = ProxyFixture.start(config(listeners, first.port(), "one", ""));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PopbridgeConfig unservable = config(listeners + "\n  - pop3://127.0.0.1:" + taken.getLocalPort()
                    + "\n  - pop3://127.0.0.1:0", second.port(), "two", "");
            assertThatThrownBy(() -> proxy.server().reload(unservable)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot listen on pop3://127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(proxy.server().boundAddresses()).hasSize(1);
        try (RawPop3Client client = greeted(proxy.plainPort()).login("alice", "pw")) {
            assertThat(retrieve(client)).contains("X-Generation: one", "Subject: from the first server");
        }
        assertThat(second.commandsSeen()).isEmpty();
    }

    @Test
    void aDroppedListenerStopsAcceptingWhileItsSessionGoesOnAndAnAddedOneServes() throws Exception {
        ScriptedPop3Server server = mailbox("kept");
        proxy = ProxyFixture.start(config("  - pop3://127.0.0.1:0\n  - pop3://127.0.0.1:0", server.port(), "one", ""));
        int kept = proxy.address(0).getPort();
        int dropped = proxy.address(1).getPort();
        try (RawPop3Client onDropped = greeted(dropped).login("alice", "pw")) {
            proxy.server().reload(config("  - pop3://127.0.0.1:0", server.port(), "two", ""));

            assertThat(retrieve(onDropped)).contains("X-Generation: one");
            assertThatThrownBy(() -> RawPop3Client.plain(dropped)).isInstanceOf(ConnectException.class);
        }
        assertThat(proxy.server().boundAddresses()).hasSize(1);
        assertThat(proxy.address(0).getPort()).isEqualTo(kept);

        proxy.server().reload(config("  - pop3://127.0.0.1:0\n  - smtp://127.0.0.1:0", server.port(), "three",
                "submission: smtp://127.0.0.1:" + server.port()));
        assertThat(proxy.address(0).getPort()).isEqualTo(kept);
        try (RawSmtpClient added = RawSmtpClient.plain(proxy.address(1).getPort())) {
            assertThat(added.reply()).startsWith("220 ");
        }
    }

    @Test
    void theTransportIsChosenAtStartAndAReloadKeepsItWithAWarning() throws Exception {
        ScriptedPop3Server server = mailbox("transport");
        String listeners = "  - pop3://127.0.0.1:0";
        try (LogCapture log = LogCapture.of(ProxyServer.class)) {
            proxy = ProxyFixture.start(config(listeners, server.port(), "one", "transport: {type: nio, busy-poll: 0us}"));
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("transport: nio, busy-poll off (epoll not used: type: nio)");

            proxy.server().reload(config(listeners, server.port(), "two", "transport: {busy-poll: 80us}"));

            assertThat(log.events()).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("transport: changed in the file; the transport and busy-poll change only with a restart");
        }
        try (RawPop3Client client = greeted(proxy.plainPort()).login("alice", "pw")) {
            assertThat(retrieve(client)).contains("X-Generation: two");
        }
    }

    @Test
    void newLimitsCountTheConnectionsAlreadyOpen() throws Exception {
        ScriptedPop3Server server = mailbox("limits");
        String listeners = "  - pop3://127.0.0.1:0";
        proxy = ProxyFixture.start(config(listeners, server.port(), "one", "limits: { connections-per-ip: 5 }"));
        try (RawPop3Client one = greeted(proxy.plainPort()); RawPop3Client two = greeted(proxy.plainPort())) {
            proxy.server().reload(config(listeners, server.port(), "two", "limits: { connections-per-ip: 2 }"));
            try (RawPop3Client third = RawPop3Client.plain(proxy.plainPort())) {
                assertThat(third.readLine()).startsWith("-ERR [SYS/TEMP] Too many connections from your address");
            }
        }
        // Both closed: they leave the counters they were counted in, so two fit again.
        assertThat(twoAdmittedWithin(50)).as("two connections admitted once the first two closed").isTrue();
    }

    /** Whether two connections at once are greeted with +OK, trying up to {@code attempts} times 100 ms apart. */
    private boolean twoAdmittedWithin(int attempts) throws Exception {
        for (int attempt = 0; attempt < attempts; attempt++) {
            try (RawPop3Client one = RawPop3Client.plain(proxy.plainPort());
                 RawPop3Client two = RawPop3Client.plain(proxy.plainPort())) {
                if (one.readLine().startsWith("+OK") && two.readLine().startsWith("+OK")) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void anSmtpSessionOpenBeforeAReloadSendsThroughItsServer() throws Exception {
        ScriptedSmtpServer first = new ScriptedSmtpServer("alice", "pw");
        ScriptedSmtpServer second = new ScriptedSmtpServer("alice", "pw");
        servers.add(first);
        servers.add(second);
        String yaml = """
                listen: [smtp://127.0.0.1:0]
                state-dir: %s
                submission: smtp://127.0.0.1:%d
                """;
        ConfigLoader loader = new ConfigLoader();
        proxy = ProxyFixture.start(loader.load(Path.of("smtp.yaml"),
                yaml.formatted(stateDir, first.port()).getBytes(StandardCharsets.UTF_8)));
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", "pw")).startsWith("235 ");
            proxy.server().reload(loader.load(Path.of("smtp.yaml"),
                    yaml.formatted(stateDir, second.port()).getBytes(StandardCharsets.UTF_8)));
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<bob@example.com>")).startsWith("250 ");
            assertThat(client.command("DATA")).startsWith("354 ");
            assertThat(client.command("Subject: sent across a reload\r\n\r\nbody\r\n.")).startsWith("250 ");
        }
        assertThat(first.acceptedMessages()).hasSize(1);
        assertThat(second.commandsSeen()).isEmpty();
    }
}
