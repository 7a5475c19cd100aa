package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
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

/**
 * AUTH (RFC 5034) relayed for PLAIN (RFC 4616) and LOGIN, with and without initial responses,
 * and cancelled with "*".
 */
class SaslAuthTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")))
                .capabilities(List.of("TOP", "UIDL", "USER", "SASL CRAM-MD5 PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE"));
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private RawPop3Client connect() throws Exception {
        RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate());
        RawPop3Client.expectOk(client.readLine());
        return client;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authPlainWithInitialResponse() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void authPlainAnsweringTheContinuation() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN")).isIn("+", "+ ");
            assertThat(client.command(base64("\0alice\0secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
        // The login is replayed to the server once whole, with the response inline (RFC 5034 section 4).
        assertThat(upstream.commandsSeen()).contains("AUTH PLAIN " + base64("\0alice\0secret"));
    }

    @Test
    void aCancelledExchangeGetsErrAndTheSessionGoesOn() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH LOGIN")).isEqualTo("+ " + base64("Username:"));
            assertThat(client.command("*")).startsWith("-ERR");
            assertThat(client.command("AUTH PLAIN")).isIn("+", "+ ");
            assertThat(client.command("*")).startsWith("-ERR");
            assertThat(client.command("STAT")).startsWith("-ERR");
            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void aResponseWithACarriageReturnInsideCancelsTheExchange() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN")).isIn("+", "+ ");
            assertThat(client.command(base64("\0alice\0secret") + "\rSTAT")).startsWith("-ERR");
        }
        assertThat(upstream.connectionsAccepted()).as("the exchange was cancelled before a login").isZero();
    }

    @Test
    void authLoginWithTwoContinuations() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH LOGIN")).isEqualTo("+ " + base64("Username:"));
            assertThat(client.command(base64("alice"))).isEqualTo("+ " + base64("Password:"));
            assertThat(client.command(base64("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void authLoginWithInitialResponse() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH LOGIN " + base64("alice"))).isEqualTo("+ " + base64("Password:"));
            assertThat(client.command(base64("secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN " + base64("\0alice\0wrong"))).startsWith("-ERR");
            assertThat(client.command("AUTH LOGIN")).startsWith("+ ");
            assertThat(client.command(base64("alice"))).startsWith("+ ");
            assertThat(client.command(base64("wrong"))).startsWith("-ERR");
            assertThat(client.command("STAT")).as("not logged in").startsWith("-ERR");
            // After the failed exchanges, lines are commands again.
            assertThat(client.command("AUTH PLAIN")).startsWith("+");
            assertThat(client.command(base64("\0alice\0secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void bareAuthListsPlainAndLoginOnly() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH")).startsWith("+OK");
            assertThat(MultilineReply.lines(client.readBody())).containsExactly("PLAIN", "LOGIN");
            // Answered locally; the session goes on.
            RawPop3Client.expectOk(client.command("CAPA"));
            client.readBody();
            assertThat(upstream.connectionsAccepted()).as("no login, so no upstream connection").isZero();
        }
    }

    @Test
    void authCramMd5IsRefusedAsUnsupportedWithoutAskingTheUpstream() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH CRAM-MD5")).startsWith("-ERR");
            assertThat(client.command("AUTH XOAUTH2 dXNlcj1hbGljZQ==")).startsWith("-ERR");
            assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret"))).startsWith("+OK");
        }
        assertThat(upstream.commandsSeen()).noneMatch(line -> line.contains("CRAM-MD5") || line.contains("XOAUTH2"));
    }

    @Test
    void mechanismNamesAreCaseInsensitive() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("auth plain " + base64("\0alice\0secret"))).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void aLongResponseWithinTheSaslLineLimitIsRelayed() throws Exception {
        // 6128 + 13 octets encode to 8188 characters: 8190 octets with CRLF, under the 8192 default.
        String response = base64("z".repeat(6128) + "\0alice\0secret");
        assertThat(response).hasSize(8188);
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN")).startsWith("+");
            assertThat(client.command(response)).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
        assertThat(upstream.commandsSeen()).contains("AUTH PLAIN " + response);
    }

    @Test
    void anOverlongResponseIsNotRelayedButCancelsTheExchangeWithErr() throws Exception {
        try (RawPop3Client client = connect()) {
            assertThat(client.command("AUTH PLAIN")).startsWith("+");
            client.send("A".repeat(9000));
            // What follows the -ERR depends on the upstream's handling of "*", which the scripted server lacks.
            assertThat(client.readLine()).startsWith("-ERR ");
        }
        assertThat(upstream.connectionsAccepted()).as("the exchange was cancelled before a login").isZero();
        assertThat(upstream.quitCount()).isZero();
    }
}
