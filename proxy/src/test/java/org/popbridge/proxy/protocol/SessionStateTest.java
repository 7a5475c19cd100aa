package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.MultilineReply;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** RFC 1939 section 3: each command only in its state, syntax checked before anything goes upstream. */
class SessionStateTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(
                MessageSource.of("Subject: one\r\n\r\nfirst body\r\n"),
                MessageSource.of("Subject: two\r\n\r\nsecond body\r\n"))).supportLast(true);
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
    void transactionCommandsBeforeLoginAreRefusedLocally() throws Exception {
        try (RawPop3Client client = connect()) {
            for (String command : List.of("STAT", "LIST", "LIST 1", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 0",
                    "UIDL", "LAST")) {
                assertThat(client.command(command)).as(command).startsWith("-ERR");
            }
            // CAPA is answered in turn; once it is, everything sent before it has been dealt with.
            RawPop3Client.expectOk(client.command("CAPA"));
            client.readBody();
            assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();

            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (28 + 29));
        }
    }

    @Test
    void loginCommandsAfterLoginAreRefusedAndChangeNothing() throws Exception {
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("DELE 1"));
            for (String command : List.of("USER bob", "PASS other", "APOP bob 0123456789abcdef0123456789abcdef",
                    "AUTH PLAIN AGJvYgBvdGhlcg==", "AUTH", "STLS")) {
                assertThat(client.command(command)).as(command).startsWith("-ERR");
            }
            // Still alice's TRANSACTION state, in clear, with message 1 still marked.
            assertThat(client.command("STAT")).isEqualTo("+OK 1 29");
            assertThat(client.command("NOOP")).startsWith("+OK");
            assertThat(client.protocol()).isEqualTo("plain");
            assertThat(upstream.commandsSeen())
                    .containsExactly("CAPA", "USER alice", "PASS secret", "DELE 1", "STAT", "NOOP");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RETR", "RETR x", "RETR 1 2", "TOP 1", "TOP 1 x", "TOP", "DELE abc", "DELE", "DELE -1",
        "LIST a", "UIDL 1 2", "STAT 1", "NOOP now", "RSET 1", "LIST 12345678901"})
    void syntaxErrorsAreAnsweredLocally(String command) throws Exception {
        try (RawPop3Client client = connect()) {
            client.login("alice", "secret");
            assertThat(client.command(command)).as(command).startsWith("-ERR");
            assertThat(client.command("NOOP")).startsWith("+OK");
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret", "NOOP");
        }
    }

    @Test
    void unknownCommandsGetErrInEitherStateAndTheSessionGoesOn() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("XYZZY")).startsWith("-ERR");
            assertThat(client.command("")).startsWith("-ERR");
            assertThat(client.command("HELO example.org")).startsWith("-ERR");
            client.login("alice", "secret");
            assertThat(client.command("XYZZY 1")).startsWith("-ERR");
            assertThat(client.command("XTND XMIT")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("RETR 2"));
            assertThat(client.readBody()).isEqualTo(upstream.wireForm(2));
            assertThat(upstream.commandsSeen()).containsExactly("CAPA", "USER alice", "PASS secret", "RETR 2");
        }
    }

    @Test
    void keywordsAreCaseInsensitive() throws Exception {
        try (RawPop3Client client = connect()) {
            RawPop3Client.expectOk(client.command("user alice"));
            RawPop3Client.expectOk(client.command("Pass secret"));
            RawPop3Client.expectOk(client.command("uidl"));
            assertThat(MultilineReply.lines(client.readBody())).containsExactly("1 uid-1", "2 uid-2");
        }
    }

    @Test
    void everyCommandAfterAnErrStillWorks() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("PASS secret")).as("PASS before USER goes upstream, which refuses it")
                    .startsWith("-ERR");
            assertThat(client.command("RETR 1")).startsWith("-ERR");
            client.login("alice", "secret");
            assertThat(client.command("RETR 9")).as("no such message, from the upstream").startsWith("-ERR");
            assertThat(client.command("TOP 1")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("TOP 1 0"));
            assertThat(MultilineReply.lines(client.readBody())).containsExactly("Subject: one", "");
            assertThat(client.command("USER bob")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("LIST"));
            assertThat(MultilineReply.lines(client.readBody())).containsExactly("1 28", "2 29");
            assertThat(client.command("LAST")).isEqualTo("+OK 0");
        }
    }
}
