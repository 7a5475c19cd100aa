package org.popbridge.proxy.submission;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.slf4j.LoggerFactory;

/**
 * Invariant 9 and its neighbours against a scripted submission server that fails where a real
 * one might: the client gets 250 for a message only when the server said 250, and otherwise
 * the server's own code or a temporary one, never a success that did not happen.
 */
class SubmissionFaultTest {

    private static final String PASSWORD = "Sc4ipted-Secret";
    /** "jörg" as a client sends it in UTF-8, one char per octet. */
    private static final String UTF8_USER = "j\u00c3\u00b6rg";
    /** "päss" as an old client sends it in ISO-8859-1, one char per octet: not UTF-8. */
    private static final String LATIN1_PASSWORD = "p\u00e4ss";

    @TempDir
    Path stateDir;

    private ScriptedSmtpServer server;
    private ProxyFixture proxy;

    private void start(String submissionExtras) throws Exception {
        start(submissionExtras, "");
    }

    private void start(String submissionExtras, String topLevel) throws Exception {
        start(new ScriptedSmtpServer("alice", PASSWORD), submissionExtras, topLevel);
    }

    private void start(ScriptedSmtpServer scripted, String submissionExtras, String topLevel) throws Exception {
        server = scripted;
        String yaml = """
                listen: [smtp://127.0.0.1:0]
                submission:
                  url: smtp://127.0.0.1:%d
                  reply-timeout: 1s
                %s
                state-dir: %s
                %s
                """.formatted(server.port(), submissionExtras, stateDir, topLevel);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RawSmtpClient loggedIn() throws Exception {
        RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort());
        assertThat(client.logIn("alice", PASSWORD)).startsWith("235 2.7.0");
        assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("250 ");
        assertThat(client.command("RCPT TO:<bob@example.com>")).startsWith("250 ");
        assertThat(client.command("DATA")).startsWith("354 ");
        return client;
    }

    @Test
    void aClientThatHasNotLoggedInCostsTheServerNothing() throws Exception {
        start("");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250-");
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("530 5.7.0");
            assertThat(client.command("RSET")).startsWith("250 ");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
        assertThat(server.connectionsAccepted()).isZero();
    }

    @Test
    void eightBitCredentialsReachTheServersAuthPlainAsTheClientsOctets() throws Exception {
        start(new ScriptedSmtpServer(UTF8_USER, LATIN1_PASSWORD), "", "");
        String response = base64("\0" + UTF8_USER + "\0" + LATIN1_PASSWORD);
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250-");
            assertThat(client.command("AUTH PLAIN " + response)).startsWith("235 ");
        }
        assertThat(server.commandsSeen()).contains("AUTH PLAIN " + response);
    }

    @Test
    void eightBitCredentialsReachTheServersAuthLoginAsTheClientsOctets() throws Exception {
        start(new ScriptedSmtpServer(UTF8_USER, LATIN1_PASSWORD), "  auth-mechanism: login", "");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250-");
            assertThat(client.command("AUTH LOGIN")).startsWith("334 ");
            assertThat(client.command(base64(UTF8_USER))).startsWith("334 ");
            assertThat(client.command(base64(LATIN1_PASSWORD))).startsWith("235 ");
        }
        assertThat(server.commandsSeen()).contains("AUTH LOGIN");
    }

    /** A SASL response of these octets, one char each, as the client encodes it. */
    private static String base64(String octets) {
        return Base64.getEncoder().encodeToString(octets.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aCommandWithABareCrIsRefusedAndNeverRelayed() throws Exception {
        start("");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
            assertThat(client.command("RCPT TO:<bob@example.com>\rDATA")).startsWith("501 5.5.2");
            assertThat(client.command("NOOP")).startsWith("250 ");
        }
        assertThat(server.commandsSeen()).noneMatch(line -> line.contains("RCPT"));
    }

    @Test
    void ehloAfterLoginResetsTheServersTransaction() throws Exception {
        start("");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("250 ");
            assertThat(client.command("EHLO again.example")).startsWith("250-").doesNotContain("AUTH");
        }
        assertThat(server.commandsSeen()).containsSubsequence("MAIL FROM:<alice@example.com>", "RSET");
    }

    @Test
    void theServersReplyToTheFinalDotIsTheClientsExactly() throws Exception {
        start("");
        server.answerEndOfData("451 4.3.0 Try again later (scripted)");
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command("Subject: x\r\n\r\nbody\r\n.")).isEqualTo("451 4.3.0 Try again later (scripted)");
        }
        server.answerEndOfData("550 5.7.1 Rejected (scripted)");
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command("Subject: x\r\n\r\nbody\r\n.")).isEqualTo("550 5.7.1 Rejected (scripted)");
        }
    }

    @Test
    void aServerThatDiesInTheMiddleOfTheDataNeverYieldsA250() throws Exception {
        start("");
        server.dieAfterDataOctets(20);
        try (RawSmtpClient client = loggedIn()) {
            client.send("Subject: cut\r\n\r\n" + "line of the body\r\n".repeat(50) + ".\r\n");
            String reply = client.reply();
            assertThat(reply).startsWith("421 4.4.2");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(server.acceptedMessages()).isEmpty();
    }

    @Test
    void aMessageThatGrowsOverTheLimitIsNeverDelivered() throws Exception {
        start("", "limits: {max-message-size: 2KB}");
        try (RawSmtpClient client = loggedIn()) {
            client.send("Subject: big\r\n\r\n" + "0123456789abcdef0123456789abcdef\r\n".repeat(200) + ".\r\n");
            assertThat(client.reply()).startsWith("552 5.3.4");
            assertThat(client.reply()).startsWith("421 ");
        }
        Thread.sleep(200);
        assertThat(server.acceptedMessages()).isEmpty();
    }

    @Test
    void theSizeLimitCountsTheMessagesOwnOctetsNotTheStuffingDots() throws Exception {
        start("", "limits: {max-message-size: 2KB}");
        // 2,048 octets of message in 61 lines, 60 of them starting with ".": 2,108 octets on the wire.
        String content = ".0123456789abcdef0123456789abcd\r\n".repeat(60) + "x".repeat(66) + "\r\n";
        assertThat(content).hasSize(2048);
        String stuffed = "." + content.replace("\r\n.", "\r\n..");
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command(stuffed + ".")).startsWith("250 ");
        }
        assertThat(server.acceptedMessages()).hasSize(1);
        assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1)).isEqualTo(stuffed);

        try (RawSmtpClient client = loggedIn()) {
            client.send("x" + stuffed + ".\r\n");
            assertThat(client.reply()).startsWith("552 5.3.4");
            assertThat(client.reply()).startsWith("421 ");
        }
        Thread.sleep(200);
        assertThat(server.acceptedMessages()).as("one octet over the limit").hasSize(1);
    }

    @Test
    void aServerThatNeverAnswersTheDotGivesATemporaryFailureAfterTheReplyTimeout() throws Exception {
        start("");
        server.silentAfterData();
        try (RawSmtpClient client = loggedIn()) {
            Instant sent = Instant.now();
            assertThat(client.command("Subject: x\r\n\r\nbody\r\n.")).startsWith("421 ");
            assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aServerThatNeverGreetsFailsTheLoginTemporarily() throws Exception {
        start("");
        server.neverGreets();
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("454 4.7.0");
            assertThat(client.command("NOOP")).startsWith("250 ");
        }
    }

    @Test
    void aClientThatDisconnectsInTheMiddleOfTheDataSendsNothing() throws Exception {
        start("");
        try (RawSmtpClient client = loggedIn()) {
            client.send("Subject: half\r\n\r\nonly half of it\r\n");
        }
        Thread.sleep(300);
        assertThat(server.acceptedMessages()).isEmpty();
    }

    @Test
    void theMessageReachesTheServerOctetForOctet() throws Exception {
        start("");
        // Dot-stuffed as a client must write it: the server gets the same octets, stuffed again.
        String data = "Subject: tricky\r\n\r\n..a stuffed dot line\r\n...\r\n.. \r\n"
                + "x".repeat(998) + "\r\n" + "caf\u00e9 \u00fc\u00df 8-bit\r\n\r\n";
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command(data + ".")).startsWith("250 2.0.0 Ok: queued as SCRIPTED1");
        }
        assertThat(server.acceptedMessages()).hasSize(1);
        assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1)).isEqualTo(data);
    }

    @Test
    void authLoginIsUsedWhereConfiguredAndTheRealClientIsNamedWithXclient() throws Exception {
        start("  auth-mechanism: login\n  xclient: true");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
        }
        assertThat(server.commandsSeen()).contains("AUTH LOGIN").anyMatch(line -> line.startsWith("XCLIENT ADDR=127.0.0.1"));
    }

    @Test
    void theServersRefusalOfTheLoginIsPassedOnAndThePasswordIsNeverLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("org.popbridge.proxy");
        Level before = root.getLevel();
        root.setLevel(Level.DEBUG);
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy")) {
            start("");
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
                assertThat(client.logIn("alice", "Wr0ng-" + PASSWORD)).isEqualTo("535 5.7.8 Error: authentication failed");
                String retry = java.util.Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                assertThat(client.command("AUTH PLAIN " + retry)).startsWith("235 ");
            }
            assertThat(logs.events()).isNotEmpty();
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .allSatisfy(line -> assertThat(line).doesNotContain(PASSWORD));
        } finally {
            root.setLevel(before);
        }
    }
}
