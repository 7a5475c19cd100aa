package org.popbridge.proxy.upstream.imap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * The translation where an IMAP server misbehaves or must be watched command by command: a
 * scripted IMAP server holding two messages (UIDs 10 and 11, UIDVALIDITY 7) records every line
 * popbridge sends it, so the tests see exactly what reaches the mailbox.
 */
class ImapTranslationFaultTest {

    private static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n";
    /** "caréol" as a client sends it in UTF-8, one char per octet. */
    private static final String UTF8_USER = "car\u00c3\u00a9ol";
    /** "päss" as an old client sends it in ISO-8859-1, one char per octet: not UTF-8. */
    private static final String LATIN1_PASSWORD = "p\u00e4ss";

    @TempDir
    Path stateDir;

    private ScriptedImapServer server;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUpstreamCutMidRetrNeverLooksLikeACompleteMessage() throws Exception {
        String partial = "Subject: cut\r\n\r\n" + "x".repeat(300);
        start("IMAP4rev1 UIDPLUS", line -> line.contains("UID FETCH 11")
                ? "* 2 FETCH (UID 11 BODY[] {1000}\r\n" + partial + ScriptedImapServer.CLOSE : null);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("RETR 2")).isEqualTo("+OK 1000 octets");
            String rest = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertThat(rest).isEqualTo(partial);
        }
    }

    @Test
    void aDisconnectAfterDeleSendsNoStoreNoExpungeAndNoLogout() throws Exception {
        start("IMAP4rev1 UIDPLUS", line -> null);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("DELE 1")).startsWith("+OK");
            assertThat(client.command("DELE 2")).startsWith("+OK");
        }
        awaitClosed();
        assertThat(server.received()).noneMatch(line -> line.contains("STORE") || line.contains("EXPUNGE")
                || line.contains("LOGOUT") || line.contains("COPY") || line.contains("MOVE"));
    }

    @Test
    void quitStoresAndExpungesByUidAndNeverSendsABareExpunge() throws Exception {
        start("IMAP4rev1 UIDPLUS", line -> null);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("DELE 2")).startsWith("+OK");
            assertThat(client.command("QUIT")).isEqualTo("+OK popbridge signing off (1 messages deleted)");
        }
        awaitClosed();
        assertThat(server.received()).anyMatch(line -> line.endsWith(" UID STORE 11 +FLAGS.SILENT (\\Deleted)"))
                .anyMatch(line -> line.endsWith(" UID EXPUNGE 11"))
                .noneMatch(line -> line.matches("A[0-9]+ EXPUNGE.*"));
    }

    @Test
    void withoutUidplusTheDeletedMessagesAreOnlyFlaggedAndTheLogWarns() throws Exception {
        start("IMAP4rev1", line -> null);
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy.upstream.imap")) {
            try (RawPop3Client client = loggedIn()) {
                assertThat(client.command("DELE 1")).startsWith("+OK");
                assertThat(client.command("QUIT")).startsWith("+OK");
            }
            awaitClosed();
            assertThat(server.received()).anyMatch(line -> line.endsWith(" UID STORE 10 +FLAGS.SILENT (\\Deleted)"))
                    .noneMatch(line -> line.contains("EXPUNGE"));
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("lacks UIDPLUS");
            });
        }
    }

    @Test
    void withoutUidplusAndMoveConfiguredTheDeletedMessagesAreMovedByUid() throws Exception {
        server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 MOVE] scripted\r\n",
                line -> mailbox(line, "IMAP4rev1 MOVE"));
        String yaml = "upstream:\n  url: imap://127.0.0.1:" + server.port()
                + "\n  without-uidplus: move\n  move-to: Deleted Items\n";
        proxy = ProxyFixture.inFrontOf(new ConfigLoader().load(Path.of("imap.yaml"),
                yaml.getBytes(StandardCharsets.UTF_8)).upstream(), stateDir);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("DELE 2")).startsWith("+OK");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        awaitClosed();
        assertThat(server.received()).anyMatch(line -> line.endsWith(" UID MOVE 11 \"Deleted Items\""))
                .noneMatch(line -> line.contains("EXPUNGE"));
    }

    @Test
    void aRejectedLoginIsAnAuthErrorAndTheClientMayTryAgain() throws Exception {
        start("IMAP4rev1 UIDPLUS", line -> line.contains("LOGIN alice wrong")
                ? tag(line) + " NO [AUTHENTICATIONFAILED] Authentication failed\r\n" : null);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.command("USER alice");
            assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH]");
            assertThat(client.command("PASS right")).startsWith("-ERR").doesNotContain("[AUTH]");
            client.command("USER alice");
            assertThat(client.command("PASS right")).startsWith("+OK");
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (MESSAGE.length() * 2));
        }
    }

    @Test
    void authPlainBecomesAuthenticatePlainWhenTheServerOffersIt() throws Exception {
        start("IMAP4rev1 UIDPLUS AUTH=PLAIN SASL-IR", line -> null);
        String response = Base64.getEncoder().encodeToString("\0alice\0pw".getBytes(StandardCharsets.UTF_8));
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(client.command(response)).startsWith("+OK");
        }
        assertThat(server.received()).anyMatch(line -> line.endsWith(" AUTHENTICATE PLAIN " + response))
                .noneMatch(line -> line.contains(" LOGIN "));
    }

    @Test
    void eightBitUserAndPasswordReachLoginAsTheClientsOctetsInLiterals() throws Exception {
        AtomicReference<String> loginTag = new AtomicReference<>();
        start("IMAP4rev1 UIDPLUS", line -> {
            if (line.contains(" LOGIN ")) {
                loginTag.set(tag(line));
            }
            if (line.endsWith("}")) {
                // A synchronizing literal is announced: the server must invite its octets.
                return "+ go on\r\n";
            }
            return line.equals(LATIN1_PASSWORD) ? loginTag.get() + " OK logged in\r\n" : null;
        });
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login(UTF8_USER, LATIN1_PASSWORD);
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (MESSAGE.length() * 2));
        }
        // No UTF8=ACCEPT before login: 8-bit strings go as literals of the very octets the client sent.
        assertThat(server.received()).anyMatch(line -> line.endsWith(" LOGIN {7}"))
                .containsSubsequence(UTF8_USER + " {4}", LATIN1_PASSWORD);
    }

    @Test
    void authPlainWithEightBitOctetsReachesAuthenticatePlainUnchanged() throws Exception {
        start("IMAP4rev1 UIDPLUS AUTH=PLAIN SASL-IR", line -> null);
        String response = plain(UTF8_USER, LATIN1_PASSWORD);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            assertThat(client.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(client.command(response)).startsWith("+OK");
        }
        assertThat(server.received()).anyMatch(line -> line.endsWith(" AUTHENTICATE PLAIN " + response));
    }

    @Test
    void eightBitUserAndPasswordReachAuthenticatePlainUnchangedWhenLoginIsDisabled() throws Exception {
        start("IMAP4rev1 UIDPLUS LOGINDISABLED AUTH=PLAIN SASL-IR", line -> null);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login(UTF8_USER, LATIN1_PASSWORD);
        }
        assertThat(server.received())
                .anyMatch(line -> line.endsWith(" AUTHENTICATE PLAIN " + plain(UTF8_USER, LATIN1_PASSWORD)))
                .noneMatch(line -> line.contains(" LOGIN "));
    }

    /**
     * imap+starttls: nothing secret before TLS, and a response injected in clear right after the
     * STARTTLS OK (here a fake refusal of the next command) is discarded (invariant 7).
     */
    @Test
    void starttlsUpgradesBeforeLoginAndDiscardsWhatWasInjectedBeforeTheHandshake() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        String caps = "IMAP4rev1 UIDPLUS";
        server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] scripted\r\n",
                line -> mailbox(line, caps))
                .offerStartTls(pki.serverContext("localhost"), "A3 NO [AUTHENTICATIONFAILED] injected\r\n");
        UpstreamConfig upstream = UpstreamConfig.parse("imap+starttls://localhost:" + server.port())
                .withCa(pki.writeCa(stateDir.resolve("ca.pem")));
        proxy = ProxyFixture.inFrontOf(upstream, stateDir);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (MESSAGE.length() * 2));
            assertThat(client.command("RETR 2")).startsWith("+OK");
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).isEqualTo(MESSAGE + ".\r\n");
        }
        List<String> received = server.received();
        int startTls = received.indexOf(received.stream().filter(line -> line.endsWith(" STARTTLS")).findFirst()
                .orElseThrow());
        int login = received.indexOf(received.stream().filter(line -> line.contains(" LOGIN ")).findFirst()
                .orElseThrow());
        assertThat(startTls).isLessThan(login);
    }

    @Test
    void anImapServerThatGreetsWithByeLeavesTheClientATemporaryError() throws Exception {
        server = new ScriptedImapServer("* BYE [UNAVAILABLE] too busy\r\n", line -> null);
        proxy = ProxyFixture.inFrontOfImap(server.port(), stateDir);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            // The server is contacted at login (invariant 8), so that is where it turns out to be unavailable.
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS pw")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void anUnreachableImapServerLeavesTheClientATemporaryError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        proxy = ProxyFixture.inFrontOfImap(closedPort, stateDir);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS pw")).startsWith("-ERR [SYS/TEMP]");
        }
    }

    /** A two-message mailbox; {@code special} answers a line first, or null to let the mailbox answer. */
    private void start(String capabilities, Function<String, String> special) throws Exception {
        server = new ScriptedImapServer("* OK [CAPABILITY " + capabilities + "] scripted\r\n", line -> {
            String answer = special.apply(line);
            return answer != null ? answer : mailbox(line, capabilities);
        });
        proxy = ProxyFixture.inFrontOfImap(server.port(), stateDir);
    }

    private static String mailbox(String line, String capabilities) {
        String tag = tag(line);
        String command = line.substring(tag.length() + 1);
        if (command.startsWith("CAPABILITY")) {
            return "* CAPABILITY " + capabilities + "\r\n" + tag + " OK done\r\n";
        }
        if (command.startsWith("SELECT")) {
            return "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] selected\r\n";
        }
        if (command.startsWith("FETCH 1:*")) {
            return "* 1 FETCH (UID 10 RFC822.SIZE " + MESSAGE.length() + ")\r\n* 2 FETCH (UID 11 RFC822.SIZE "
                    + MESSAGE.length() + ")\r\n" + tag + " OK done\r\n";
        }
        if (command.startsWith("UID FETCH ") && command.contains("BODY[]")) {
            long uid = Long.parseLong(command.split(" ")[2]);
            return "* " + (uid - 9) + " FETCH (UID " + uid + " BODY[] {" + MESSAGE.length() + "}\r\n" + MESSAGE
                    + ")\r\n" + tag + " OK done\r\n";
        }
        if (command.startsWith("LOGOUT")) {
            return "* BYE bye\r\n" + tag + " OK done\r\n" + ScriptedImapServer.CLOSE;
        }
        return tag + " OK done\r\n";
    }

    /** A PLAIN response carrying these octets (one char each), as the client encodes it. */
    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String tag(String line) {
        return line.substring(0, line.indexOf(' '));
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "pw");
    }

    /** The proxy closes its IMAP connection shortly after the client's; the server then sees the end. */
    private void awaitClosed() throws InterruptedException {
        for (int i = 0; i < 50 && !server.finished(); i++) {
            Thread.sleep(20);
        }
        assertThat(server.finished()).as("the IMAP connection was closed").isTrue();
    }
}
