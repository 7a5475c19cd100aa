package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.MultilineReply;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TrickyMessages;

/** STLS (RFC 2595 section 4) on the client side, including plaintext command injection (invariant 7). */
class StlsTest {

    @TempDir
    Path stateDir;

    private final List<MessageSource> corpus = TrickyMessages.corpus();
    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", corpus);
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private RawPop3Client connect() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client;
    }

    @Test
    void stlsThenLoginAndRetrOverTls() throws Exception {
        try (RawPop3Client client = connect()) {
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            assertThat(client.protocol()).startsWith("TLSv1.");
            client.login("alice", "secret");
            for (int n = 1; n <= corpus.size(); n++) {
                RawPop3Client.expectOk(client.command("RETR " + n));
                assertThat(client.readBody()).as("message %d", n).isEqualTo(upstream.wireForm(n));
            }
        }
        assertThat(upstream.commandsSeen()).doesNotContain("STLS");
    }

    @Test
    void commandsSentWithStlsBeforeTheHandshakeAreDiscarded() throws Exception {
        try (RawPop3Client client = connect()) {
            client.sendRaw("STLS\r\nUSER evil\r\nPASS x\r\n");
            RawPop3Client.expectOk(client.readLine());
            client.startTls(proxy.certificate());

            // The first reply over TLS answers the first command sent over TLS: nothing else is queued.
            String capaStatus = client.command("CAPA");
            assertThat(capaStatus).startsWith("+OK");
            assertThat(MultilineReply.lines(client.readBody())).contains("USER").doesNotContain("STLS");
            assertThat(client.command("PASS x")).as("no USER is pending").startsWith("-ERR");
            client.login("alice", "secret");
            assertThat(client.command("STAT")).startsWith("+OK " + corpus.size() + " ");
        }
        assertThat(upstream.commandsSeen()).doesNotContain("USER evil")
                .containsExactly("CAPA", "USER alice", "PASS secret", "STAT");
    }

    @Test
    void anInjectedValidLoginDoesNotLogTheSessionIn() throws Exception {
        try (RawPop3Client client = connect()) {
            client.sendRaw("STLS\r\nUSER alice\r\nPASS secret\r\nDELE 1\r\n");
            RawPop3Client.expectOk(client.readLine());
            client.startTls(proxy.certificate());
            assertThat(client.command("STAT")).as("still in AUTHORIZATION after TLS").startsWith("-ERR");
            assertThat(client.command("NOOP")).startsWith("-ERR");
        }
        assertThat(upstream.connectionsAccepted()).as("the injected login never reached the server").isZero();
    }

    @Test
    void stlsOnTheImplicitTlsListenerIsRefused() throws Exception {
        try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("STLS")).startsWith("-ERR");
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(client.readBody()).isEqualTo(upstream.wireForm(1));
        }
    }

    @Test
    void stlsTwiceIsRefusedTheSecondTime() throws Exception {
        try (RawPop3Client client = connect()) {
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            assertThat(client.command("STLS")).startsWith("-ERR");
            client.login("alice", "secret");
            assertThat(client.command("STAT")).startsWith("+OK " + corpus.size() + " ");
        }
    }

    @Test
    void stlsAfterLoginIsRefused() throws Exception {
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            assertThat(client.command("STLS")).startsWith("-ERR");
            assertThat(client.command("NOOP")).startsWith("+OK");
            assertThat(client.protocol()).isEqualTo("plain");
        }
    }

    @Test
    void stlsPipelinedBehindAForwardedCommandStillDiscardsWhatFollows() throws Exception {
        try (RawPop3Client client = connect()) {
            client.sendRaw("CAPA\r\nSTLS\r\nUSER evil\r\n");
            RawPop3Client.expectOk(client.readLine());
            client.readBody();
            RawPop3Client.expectOk(client.readLine());
            client.startTls(proxy.certificate());
            client.login("alice", "secret");
        }
        assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret");
    }

    @Test
    void commandsPipelinedAfterARefusedStlsAreStillAnswered() throws Exception {
        try (RawPop3Client client = connect()) {
            client.sendRaw("USER alice\r\nPASS secret\r\nSTLS\r\nSTAT\r\n");
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.readLine()).startsWith("-ERR");
            assertThat(client.readLine()).startsWith("+OK " + corpus.size() + " ");
        }
    }

    @Test
    void stlsWithAnArgumentIsASyntaxErrorAndLosesNothing() throws Exception {
        try (RawPop3Client client = connect()) {
            client.sendRaw("STLS now\r\nUSER alice\r\n");
            assertThat(client.readLine()).startsWith("-ERR");
            assertThat(client.readLine()).startsWith("+OK");
        }
    }
}
