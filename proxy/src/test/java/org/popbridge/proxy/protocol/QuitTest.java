package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.ConnectionEnd;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** QUIT (RFC 1939 sections 5 and 6) in both states. */
class QuitTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(
                MessageSource.of("Subject: one\r\n\r\nbody\r\n"), MessageSource.of("Subject: two\r\n\r\nbody\r\n")));
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void quitInAuthorizationClosesCleanlyAndDeletesNothing() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("QUIT")).startsWith("+OK");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("the connection closes after +OK").isEmpty();
        }
        assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void quitAfterAFailedLoginClosesCleanly() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS wrong")).startsWith("-ERR");
            assertThat(client.command("QUIT")).startsWith("+OK");
            assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
        }
    }

    @Test
    void quitInTransactionIsRelayedAndAppliesDeletions() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("DELE 2"));
            assertThat(client.command("QUIT")).startsWith("+OK");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("the connection closes after +OK").isEmpty();
        }
        assertThat(upstream.quitCount()).isEqualTo(1);
        assertThat(upstream.expunged()).isEqualTo(Set.of(2));
        assertThat(upstream.commandsSeen()).endsWith("DELE 2", "QUIT");
    }

    @Test
    void commandsPipelinedAfterQuitAreNotRun() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            client.sendRaw("QUIT\r\nDELE 1\r\n");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
        }
        assertThat(upstream.quitCount()).isEqualTo(1);
        assertThat(upstream.expunged()).isEmpty();
        assertThat(upstream.commandsSeen()).doesNotContain("DELE 1");
    }

    @Test
    void disconnectingWithoutQuitDeletesNothing() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("DELE 1"));
        }
        assertThat(upstream.awaitSessionsEnded(1, 10_000)).isTrue();
        assertThat(upstream.quitCount()).isZero();
        assertThat(upstream.expunged()).isEmpty();
    }
}
