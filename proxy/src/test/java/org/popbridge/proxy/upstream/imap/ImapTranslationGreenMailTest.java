package org.popbridge.proxy.upstream.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.JakartaImapView;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;

/**
 * A POP3 client reading an IMAP mailbox through popbridge, with GreenMail as the IMAP server
 * and a second IMAP client (Jakarta Mail) as the judge of what the mailbox holds. GreenMail's
 * RFC822.SIZE counts only the body (see ImapLinkGreenMailTest), so sizes are compared with
 * what the server reports, which is what the translation promises.
 */
class ImapTranslationGreenMailTest {

    private static final String PASSWORD = "s3cret-Pw";

    @TempDir
    Path stateDir;

    private GreenMail mailServer;
    private GreenMailUser alice;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        mailServer = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        mailServer.start();
        alice = mailServer.setUser("alice@localhost", "alice", PASSWORD);
        proxy = ProxyFixture.inFrontOfImap(mailServer.getImap().getPort(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        mailServer.stop();
    }

    @Test
    void statListAndUidlComeFromTheSnapshotInUidOrder() throws Exception {
        deliver("one", "short\r\n");
        deliver("two", "a longer body\r\n".repeat(40));
        deliver("three", "third\r\n");
        List<Long> uids = mailbox().uids();
        long uidValidity = mailbox().uidValidity();
        List<Long> sizes = mailbox().rfc822Sizes();

        try (RawPop3Client client = loggedIn()) {
            long total = sizes.stream().mapToLong(Long::longValue).sum();
            assertThat(client.command("STAT")).isEqualTo("+OK 3 " + total);
            assertThat(multiline(client, "LIST")).containsExactly(
                    "1 " + sizes.get(0), "2 " + sizes.get(1), "3 " + sizes.get(2));
            assertThat(multiline(client, "UIDL")).containsExactly(
                    "1 " + uidValidity + "." + uids.get(0), "2 " + uidValidity + "." + uids.get(1),
                    "3 " + uidValidity + "." + uids.get(2));
            assertThat(client.command("UIDL 2")).isEqualTo("+OK 2 " + uidValidity + "." + uids.get(1));
            assertThat(client.command("LIST 4")).startsWith("-ERR");
        }
    }

    @Test
    void retrIsByteExactAndMarksSeenWhileTopDoesNot() throws Exception {
        deliver("dots", "first\r\n.\r\n..\r\n.leading dot\r\nlast\r\n");
        deliver("second", "line 1\r\nline 2\r\nline 3\r\n");
        List<byte[]> raw = mailbox().rawMessages();

        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("RETR 1")).startsWith("+OK " + raw.get(0).length + " octets");
            assertThat(DotStuffing.unstuff(client.readBody())).isEqualTo(raw.get(0));
            assertThat(client.command("TOP 2 1")).startsWith("+OK");
            String top = new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
            String whole = new String(raw.get(1), StandardCharsets.ISO_8859_1);
            int bodyStart = whole.indexOf("\r\n\r\n") + 4;
            assertThat(top).isEqualTo(whole.substring(0, bodyStart) + "line 1\r\n");
        }
        assertThat(mailbox().flags(Flags.Flag.SEEN)).containsExactly(true, false);
    }

    @Test
    void deleteIsAppliedAtQuitOnlyToTheMarkedMessages() throws Exception {
        deliver("keep", "a\r\n");
        deliver("delete me", "b\r\n");
        deliver("keep too", "c\r\n");

        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("DELE 2")).startsWith("+OK");
            assertThat(client.command("STAT")).startsWith("+OK 2 ");
            assertThat(client.command("RETR 2")).startsWith("-ERR");
            assertThat(client.command("DELE 2")).startsWith("-ERR");
            assertThat(mailbox().subjects()).hasSize(3);
            assertThat(client.command("QUIT")).startsWith("+OK");
            assertThat(client.readLine()).isNull();
        }
        assertThat(mailbox().subjects()).containsExactly("keep", "keep too");
    }

    @Test
    void rsetForgetsAndDisconnectChangesNothing() throws Exception {
        deliver("one", "a\r\n");
        deliver("two", "b\r\n");

        try (RawPop3Client client = loggedIn()) {
            client.command("DELE 1");
            assertThat(client.command("RSET")).startsWith("+OK");
            assertThat(client.command("STAT")).startsWith("+OK 2 ");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("DELE 1")).startsWith("+OK");
            assertThat(client.command("DELE 2")).startsWith("+OK");
        }
        Thread.sleep(200);
        assertThat(mailbox().subjects()).containsExactly("one", "two");
        assertThat(mailbox().flags(Flags.Flag.DELETED)).containsExactly(false, false);
    }

    @Test
    void aMessageExpungedByAnotherClientGetsErrAndTheRestWork() throws Exception {
        deliver("one", "a\r\n");
        deliver("two", "b\r\n");
        deliver("three", "c\r\n");
        List<Long> uids = mailbox().uids();

        try (RawPop3Client client = loggedIn()) {
            mailbox().expunge(uids.get(1));
            assertThat(client.command("NOOP")).startsWith("+OK");
            assertThat(client.command("RETR 2")).startsWith("-ERR").contains("removed");
            assertThat(client.command("RETR 3")).startsWith("+OK");
            assertThat(new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1))
                    .contains("Subject: three");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        assertThat(mailbox().subjects()).containsExactly("one", "three");
    }

    @Test
    void wrongPasswordIsAnAuthErrorAndAuthPlainLogsIn() throws Exception {
        deliver("one", "a\r\n");
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.command("USER alice")).startsWith("+OK");
            assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH]");
            String plain = Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("+OK");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void capaListsWhatTheTranslationSupports() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(multiline(client, "CAPA")).contains("TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "PIPELINING",
                    "RESP-CODES", "AUTH-RESP-CODE");
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        deliver("one", "first body\r\n");
        deliver("two", "second body\r\n");
        try (RawPop3Client client = loggedIn()) {
            client.sendRaw("STAT\r\nRETR 1\r\nLIST 2\r\nRETR 2\r\nNOOP\r\n");
            assertThat(client.readLine()).startsWith("+OK 2 ");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).contains("first body");
            assertThat(client.readLine()).startsWith("+OK 2 ");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).contains("second body");
            assertThat(client.readLine()).startsWith("+OK");
        }
    }

    @Test
    void withMarkSeenOffRetrLeavesMessagesUnseen() throws Exception {
        deliver("one", "a\r\n");
        useUpstream("imap://127.0.0.1:%d", "mark-seen", false);
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("RETR 1"));
            client.readBody();
        }
        assertThat(mailbox().flags(Flags.Flag.SEEN)).containsExactly(false);
    }

    @Test
    void theConfiguredFolderIsTheMaildrop() throws Exception {
        deliver("in the inbox", "a\r\n");
        mailbox().appendTo("Scans", message("scanned page", "b\r\n"));
        useUpstream("imap://127.0.0.1:%d", "folder", "Scans");
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            RawPop3Client.expectOk(client.command("RETR 1"));
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).contains("Subject: scanned page");
        }
    }

    /** Restarts the proxy with the IMAP upstream and one IMAP setting, as a config file would give them. */
    private void useUpstream(String url, String key, Object value) throws Exception {
        proxy.close();
        String yaml = "upstream:\n  url: " + url.formatted(mailServer.getImap().getPort()) + "\n  " + key + ": " + value + "\n";
        UpstreamConfig upstream = new ConfigLoader().load(Path.of("imap.yaml"), yaml.getBytes(StandardCharsets.UTF_8))
                .upstream();
        proxy = ProxyFixture.inFrontOf(upstream, stateDir);
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", PASSWORD);
    }

    private static List<String> multiline(RawPop3Client client, String command) throws Exception {
        RawPop3Client.expectOk(client.command(command));
        List<String> lines = new ArrayList<>();
        for (String line = client.readLine(); !line.equals("."); line = client.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private JakartaImapView mailbox() {
        return new JakartaImapView(mailServer.getImap().getPort(), "alice", PASSWORD);
    }

    private void deliver(String subject, String body) throws Exception {
        alice.deliver(message(subject, body));
    }

    private static MimeMessage message(String subject, String body) throws Exception {
        String raw = "From: friend@example.org\r\nTo: alice@localhost\r\nSubject: " + subject + "\r\n\r\n" + body;
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
