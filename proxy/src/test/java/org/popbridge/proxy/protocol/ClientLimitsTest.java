package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.session.UserSessions;
import org.popbridge.proxy.testing.ConnectionEnd;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * The limits on clients (issue 12), as an attacker meets them: connections in all and per
 * address, the login clock, the idle clock that counts lines, failed logins per session with
 * their delay, sessions per user and address, and the fail2ban line. Over a limit the client
 * gets a temporary refusal and the connection closes; the mail server never hears of it.
 */
class ClientLimitsTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;
    private final List<RawPop3Client> clients = new ArrayList<>();

    private void start(String limits) throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
        String yaml = """
                listen: [pop3://127.0.0.1:0]
                upstream: pop3://127.0.0.1:%d
                state-dir: %s
                limits:
                %s
                """.formatted(upstream.port(), stateDir, limits.indent(2));
        PopbridgeConfig config = new ConfigLoader().load(Path.of("limits.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        for (RawPop3Client client : clients) {
            client.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private RawPop3Client connect() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort());
        clients.add(client);
        return client;
    }

    @Test
    void connectionsOverThePerAddressLimitAreRefusedAndCostTheServerNothing() throws Exception {
        start("connections-per-ip: 2");
        RawPop3Client first = connect();
        RawPop3Client.expectOk(first.readLine());
        RawPop3Client.expectOk(connect().readLine());

        RawPop3Client third = connect();
        assertThat(third.readLine()).isEqualTo("-ERR [SYS/TEMP] Too many connections from your address, try again later");
        assertThat(ConnectionEnd.linesUntilClosed(third)).isEmpty();

        // A connection that ends makes room for the next.
        first.close();
        // The proxy hears of the close a moment later; until then the address is still full.
        String greeting = connect().readLine();
        for (int i = 0; i < 50 && greeting.startsWith("-ERR"); i++) {
            Thread.sleep(20);
            greeting = connect().readLine();
        }
        RawPop3Client.expectOk(greeting);
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void theTotalLimitCountsEveryListenerAndAddress() throws Exception {
        start("connections: 1");
        RawPop3Client.expectOk(connect().readLine());
        assertThat(connect().readLine()).isEqualTo("-ERR [SYS/TEMP] Too many connections, try again later");
    }

    @Test
    void anExemptNetworkSkipsThePerAddressLimit() throws Exception {
        start("connections-per-ip: 1\nexempt: [127.0.0.0/8]");
        for (int i = 0; i < 3; i++) {
            RawPop3Client.expectOk(connect().readLine());
        }
    }

    @Test
    void aClientThatKeepsSendingCommandsButNeverLogsInIsClosedAtTheLoginTimeout() throws Exception {
        start("login-timeout: 1s");
        RawPop3Client client = connect();
        RawPop3Client.expectOk(client.readLine());
        String last = null;
        for (int i = 0; i < 40; i++) {
            last = client.command("NOOP");
            if (!last.startsWith("-ERR Command") && !last.startsWith("-ERR [AUTH]") && !last.startsWith("-ERR Not")
                    && last.contains("logging in")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(last).isEqualTo("-ERR [SYS/TEMP] Too long without logging in, closing connection");
        assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
    }

    @Test
    void aByteEveryFewHundredMillisecondsDoesNotKeepAnIdleSessionOpen() throws Exception {
        start("idle-timeout: 1s");
        RawPop3Client client = connect();
        RawPop3Client.expectOk(client.readLine());
        // Never a whole line: the idle clock counts lines, not bytes.
        boolean closed = false;
        for (int i = 0; i < 40 && !closed; i++) {
            try {
                client.sendRaw("N");
            } catch (java.io.IOException e) {
                closed = true;
            }
            Thread.sleep(100);
            closed = closed || client.isClosedByPeer();
        }
        assertThat(closed).as("closed by the idle timeout").isTrue();
    }

    @Test
    void failedLoginsCloseTheSessionAtTheLimitAndEachIsLoggedForFail2ban() throws Exception {
        try (LogCapture auth = LogCapture.of(UserSessions.AUTH_LOGGER)) {
            start("auth-failures: 3\nauth-failure-delay: 0s");
            RawPop3Client client = connect();
            RawPop3Client.expectOk(client.readLine());
            for (int i = 1; i <= 2; i++) {
                RawPop3Client.expectOk(client.command("USER alice"));
                assertThat(client.command("PASS wrong" + i)).startsWith("-ERR [AUTH]");
            }
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS wrong3")).startsWith("-ERR [AUTH]");
            assertThat(client.readLine()).isEqualTo("-ERR [AUTH] Too many failed logins, closing connection");
            assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
            List<String> lines = auth.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).hasSize(3).allMatch(line -> line.matches(
                    "\\[[0-9a-f]+] login failed: rip=127\\.0\\.0\\.1 listener=pop3://127\\.0\\.0\\.1:0 failures=[123] user=alice"));
        }
    }

    @Test
    void aFailedLoginsReplyWaitsTheDelay() throws Exception {
        start("auth-failure-delay: 300ms");
        RawPop3Client client = connect();
        RawPop3Client.expectOk(client.readLine());
        RawPop3Client.expectOk(client.command("USER alice"));
        long started = System.nanoTime();
        assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH]");
        // A lower bound only: the reply must not come before the delay, however slow the machine.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(300_000_000L);
        RawPop3Client.expectOk(client.command("USER alice"));
        assertThat(client.command("PASS secret")).startsWith("+OK");
    }

    @Test
    void aUserWithTooManySessionsFromOneAddressIsRefused() throws Exception {
        start("connections-per-user-ip: 1");
        RawPop3Client first = connect();
        RawPop3Client.expectOk(first.readLine());
        first.login("alice", "secret");
        RawPop3Client second = connect();
        RawPop3Client.expectOk(second.readLine());
        RawPop3Client.expectOk(second.command("USER alice"));
        assertThat(second.command("PASS secret")).isEqualTo("-ERR [IN-USE] Too many sessions for this user from your address");
        assertThat(ConnectionEnd.linesUntilClosed(second)).isEmpty();
        RawPop3Client.expectOk(first.command("STAT"));
    }

    @Test
    void smtpClientsMeetTheSameLimitsInSmtpWords() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("alice", "secret")) {
            String yaml = """
                    listen: [smtp://127.0.0.1:0]
                    submission: smtp://127.0.0.1:%d
                    state-dir: %s
                    limits:
                      connections-per-ip: 1
                      auth-failures: 2
                      auth-failure-delay: 0s
                    """.formatted(server.port(), stateDir);
            PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            proxy = ProxyFixture.start(config);
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
                // Greeted, the first connection is counted; connected at once, the two could be
                // counted in either order (each on its own event loop).
                assertThat(client.reply()).startsWith("220 ");
                try (RawSmtpClient refused = RawSmtpClient.plain(proxy.address(0).getPort())) {
                    assertThat(refused.reply()).isEqualTo("421 4.7.0 Too many connections from your address, try again later");
                }
                assertThat(client.logInWithoutGreeting("alice", "wrong")).startsWith("535 ");
                assertThat(client.command("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                        "\0alice\0wrong2".getBytes(StandardCharsets.US_ASCII)))).startsWith("535 ");
                assertThat(client.reply()).isEqualTo("421 4.7.0 Too many failed logins, closing connection");
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }
}
