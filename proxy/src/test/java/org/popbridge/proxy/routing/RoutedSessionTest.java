package org.popbridge.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * Users routed by name to different mail servers from one listener: a domain to an IMAP
 * server (GreenMail) under the name without its domain, one user to a POP3 server (scripted,
 * so the name it was sent can be checked) under the name with a domain added, and no default
 * route, so anyone else is refused without any server being asked.
 */
class RoutedSessionTest {

    private static final String IMAP_PASSWORD = "imap-Secret-1";
    private static final String POP3_PASSWORD = "pop3-Secret-2";
    /** "jörg@octets.test" as a client sends it in UTF-8, one char per octet. */
    private static final String UTF8_USER = "j\u00c3\u00b6rg@octets.test";
    /** "päss" as an old client sends it in ISO-8859-1, one char per octet: not UTF-8. */
    private static final String LATIN1_PASSWORD = "p\u00e4ss";

    @TempDir
    Path stateDir;

    private GreenMail imapServer;
    private ScriptedPop3Server pop3Server;
    private ProxyFixture proxy;
    private int downPort;

    @BeforeEach
    void start() throws Exception {
        imapServer = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        imapServer.start();
        GreenMailUser alice = imapServer.setUser("alice@localhost", "alice", IMAP_PASSWORD);
        alice.deliver(message("from the IMAP server"));
        pop3Server = new ScriptedPop3Server("bob@pop.test", POP3_PASSWORD,
                List.of(MessageSource.of("Subject: from the POP3 server\r\n\r\nhello\r\n")));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downPort = socket.getLocalPort();
        }
        String yaml = """
                listen: [pop3://127.0.0.1:0]
                routes:
                  - match: "*@imap.test"
                    strip-domain: true
                    upstream: imap://127.0.0.1:%d
                  - match: bob
                    add-domain: pop.test
                    upstream: pop3://127.0.0.1:%d
                  - match: "*@down.test"
                    upstream: imap://127.0.0.1:%d
                """.formatted(imapServer.getImap().getPort(), pop3Server.port(), downPort);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("routes.yaml"), yaml.getBytes(StandardCharsets.UTF_8))
                .withStateDir(stateDir);
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        pop3Server.close();
        imapServer.stop();
    }

    @Test
    void aDomainUserReadsTheImapMailboxUnderTheNameWithoutTheDomain() throws Exception {
        try (RawPop3Client client = greeted()) {
            client.login("Alice@IMAP.test", IMAP_PASSWORD);
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1))
                    .contains("Subject: from the IMAP server");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void anExactUserReachesThePop3ServerUnderTheNameWithTheDomainAdded() throws Exception {
        String plain = Base64.getEncoder().encodeToString(("\0bob\0" + POP3_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (RawPop3Client client = greeted()) {
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("+OK");
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1))
                    .contains("Subject: from the POP3 server");
        }
        // The client's AUTH PLAIN is replayed as AUTH PLAIN, with the rewritten name inside.
        String rewritten = Base64.getEncoder().encodeToString(
                ("\0bob@pop.test\0" + POP3_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(pop3Server.commandsSeen()).contains("AUTH PLAIN " + rewritten, "RETR 1");
    }

    @Test
    void passGoesUpstreamOnlyOnceUserIsAccepted() throws Exception {
        // Dovecot answers a PASS pipelined behind its USER some 40 ms late: it must wait for USER's +OK.
        pop3Server.holdUserReply(300);
        try (RawPop3Client client = greeted()) {
            client.login("bob", POP3_PASSWORD);
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(pop3Server.commandsSeen()).containsSubsequence("USER bob@pop.test", "PASS " + POP3_PASSWORD);
        assertThat(pop3Server.userCommandsPipelinedOn()).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedAndTheClientMayLogInAgainOnTheSameConnection() throws Exception {
        try (RawPop3Client client = greeted()) {
            client.command("USER alice@imap.test");
            assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH]");
            client.command("USER bob");
            assertThat(client.command("PASS wrong")).startsWith("-ERR");
            client.login("bob", POP3_PASSWORD);
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(pop3Server.commandsSeen()).contains("USER bob@pop.test");
    }

    @Test
    void aUserNoRouteTakesIsRefusedLikeAWrongPassword() throws Exception {
        try (RawPop3Client client = greeted()) {
            client.command("USER carol@elsewhere.test");
            assertThat(client.command("PASS anything")).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(client.command("STAT")).startsWith("-ERR");
        }
        assertThat(pop3Server.commandsSeen()).isEmpty();
    }

    @Test
    void theGreetingAndCapaNeedNoServerAndADownServerIsATemporaryError() throws Exception {
        try (RawPop3Client client = greeted()) {
            RawPop3Client.expectOk(client.command("CAPA"));
            StringBuilder capabilities = new StringBuilder();
            for (String line = client.readLine(); !line.equals("."); line = client.readLine()) {
                capabilities.append(line).append('\n');
            }
            assertThat(capabilities.toString()).contains("USER", "SASL PLAIN LOGIN", "TOP", "UIDL");
            client.command("USER dave@down.test");
            assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");
        }
    }

    @Test
    void eightBitUserAndPasswordAreReplayedInAuthPlainAsTheClientsOctets() throws Exception {
        // A server without USER: the client's USER and PASS are replayed as AUTH PLAIN.
        try (ScriptedPop3Server server = new ScriptedPop3Server(UTF8_USER, LATIN1_PASSWORD, List.of())
                .capabilities(List.of("SASL PLAIN", "UIDL"));
                ProxyFixture octets = routedTo(server);
                RawPop3Client client = RawPop3Client.plain(octets.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login(UTF8_USER, LATIN1_PASSWORD);
            assertThat(server.commandsSeen()).contains("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                    ("\0" + UTF8_USER + "\0" + LATIN1_PASSWORD).getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    @Test
    void eightBitAuthPlainIsReplayedInUserAndPassAsTheClientsOctets() throws Exception {
        // A server without SASL: the client's AUTH PLAIN is replayed as USER and PASS.
        try (ScriptedPop3Server server = new ScriptedPop3Server(UTF8_USER, LATIN1_PASSWORD, List.of())
                .capabilities(List.of("USER", "UIDL"));
                ProxyFixture octets = routedTo(server);
                RawPop3Client client = RawPop3Client.plain(octets.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            String plain = Base64.getEncoder().encodeToString(
                    ("\0" + UTF8_USER + "\0" + LATIN1_PASSWORD).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("+OK");
            assertThat(server.commandsSeen()).contains("USER " + UTF8_USER, "PASS " + LATIN1_PASSWORD);
        }
    }

    /** popbridge routing "*@octets.test" to {@code server}, on its own state directory. */
    private ProxyFixture routedTo(ScriptedPop3Server server) throws Exception {
        String yaml = """
                listen: [pop3://127.0.0.1:0]
                routes:
                  - match: "*@octets.test"
                    upstream: pop3://127.0.0.1:%d
                """.formatted(server.port());
        return ProxyFixture.start(new ConfigLoader().load(Path.of("routes.yaml"), yaml.getBytes(StandardCharsets.UTF_8))
                .withStateDir(stateDir.resolve("octets")));
    }

    private RawPop3Client greeted() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        assertThat(client.readLine()).startsWith("+OK popbridge ready");
        return client;
    }

    private static MimeMessage message(String subject) throws Exception {
        String raw = "From: friend@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
