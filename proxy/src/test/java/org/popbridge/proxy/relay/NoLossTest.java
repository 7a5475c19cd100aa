package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.LimitsConfig;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** Invariant 1: deletions reach the upstream only through QUIT in TRANSACTION. */
class NoLossTest {

    private static final long WAIT_MS = 10_000;

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(
                MessageSource.of("Subject: one\r\n\r\nfirst\r\n"), MessageSource.of("Subject: two\r\n\r\nsecond\r\n")));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void clientDisconnectAfterDeleClosesUpstreamWithoutQuit() throws Exception {
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("DELE 1"));
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.expunged()).isEmpty();
        try (RawPop3Client again = loggedIn()) {
            assertThat(again.command("STAT")).startsWith("+OK 2 ");
        }
    }

    @Test
    void quitAfterDeleDeletesExactlyTheMarkedMessage() throws Exception {
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("DELE 2"));
            RawPop3Client.expectOk(client.command("QUIT"));
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isEqualTo(1);
        assertThat(upstream.expunged()).containsExactly(2);
    }

    @Test
    void rsetUndoesDeleBeforeQuit() throws Exception {
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("DELE 1"));
            RawPop3Client.expectOk(client.command("RSET"));
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isEqualTo(1);
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void idleTimeoutClosesWithoutQuit() throws Exception {
        proxy = ProxyFixture.start(config().withLimits(LimitsConfig.of(null, null, null, Duration.ofMillis(300), null, null)));
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("DELE 1"));
            assertThat(client.readLine()).isEqualTo("-ERR Disconnected for inactivity");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void shutdownClosesSessionsLeftAfterTheGracePeriodWithoutQuit() throws Exception {
        proxy = ProxyFixture.start(config());
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("DELE 1"));
            proxy.server().shutdown(Duration.ofMillis(200));
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void shutdownLetsARunningSessionFinishWithinTheGracePeriod() throws Exception {
        proxy = ProxyFixture.start(config());
        try (RawPop3Client client = loggedIn()) {
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
                try {
                    proxy.server().shutdown(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // The session goes on while the proxy stops accepting new ones.
            RawPop3Client.expectOk(client.command("DELE 1"));
            RawPop3Client.expectOk(client.command("RETR 2"));
            client.readBody();
            RawPop3Client.expectOk(client.command("QUIT"));
            shutdown.get(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        assertThat(upstream.quitCount()).isEqualTo(1);
        assertThat(upstream.expunged()).containsExactly(1);
    }

    private PopbridgeConfig config() {
        return PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withStateDir(stateDir);
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }
}
