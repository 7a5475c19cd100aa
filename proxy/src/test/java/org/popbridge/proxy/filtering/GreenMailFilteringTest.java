package org.popbridge.proxy.filtering;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.builtin.HideProvider;
import org.popbridge.filters.builtin.SpamTagProvider;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.JakartaImapView;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;

/**
 * The built-in spam-tag and hide filters between a real mail server (GreenMail, read over POP3
 * or translated from IMAP: the chain must behave the same) and real clients (Jakarta Mail, and
 * a raw client counting octets).
 */
class GreenMailFilteringTest {

    @TempDir
    Path stateDir;

    private GreenMail mailServer;
    private GreenMailUser alice;
    private ProxyFixture proxy;

    /** The same mailbox read through popbridge from GreenMail's POP3 server or from its IMAP server. */
    enum Upstream { POP3, IMAP }

    private void start(Upstream upstream) throws Exception {
        start(upstream, TestFilters.filtering(
                TestFilters.chain(FailurePolicy.OPEN, Duration.ofSeconds(5), "spam-tag", spamTag(), "hide", hide()),
                true));
    }

    private void start(Upstream upstream, MessageFiltering filtering) throws Exception {
        mailServer = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        mailServer.start();
        alice = mailServer.setUser("alice@localhost", "alice", "secret");
        deliver("friend@example.org", "lunch?", Map.of());
        deliver("promo@spam.example", "great offer", Map.of());
        deliver("someone@example.net", "quarantine me", Map.of("X-Spam-Flag", "YES"));
        deliver("scanner-victim@example.com", "you are a winner", Map.of("X-Spam-Flag", "YES"));
        deliver("colleague@example.org", "minutes", Map.of());
        proxy = upstream == Upstream.POP3
                ? ProxyFixture.filtering(mailServer.getPop3().getPort(), stateDir, filtering)
                : ProxyFixture.filteringImap(mailServer.getImap().getPort(), stateDir, filtering);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (mailServer != null) {
            mailServer.stop();
        }
    }

    private void deliver(String from, String subject, Map<String, String> headers) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, "alice@localhost");
        message.setSubject(subject);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.setText("body: " + subject + "\r\n.leading dot\r\n");
        alice.deliver(message);
    }

    private static Object spamTag() {
        return new SpamTagProvider().configure(FilterSettings.of(Map.of(
                "threshold", "5",
                "rules", List.of(
                        Map.of("name", "upstream-says-spam", "header", "X-Spam-Flag", "is", "YES", "score", "10"),
                        Map.of("name", "blocked-sender", "from-domain", List.of("spam.example"), "score", "6"),
                        Map.of("name", "lottery", "header", "Subject", "regex", "(?i)lottery|winner", "score", "3")),
                "tag", Map.of("subject-prefix", "[SPAM] ",
                        "add-headers", Map.of("X-Spam-Score", "${score}", "X-Spam-Rules", "${rules}"))),
                "/filters/0/spam-tag"));
    }

    private static Object hide() {
        return new HideProvider().configure(FilterSettings.of(Map.of(
                "when", Map.of("header", "Subject", "contains", "quarantine")), "/filters/1/hide"));
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }

    private static String body(RawPop3Client client, String command) throws Exception {
        RawPop3Client.expectOk(client.command(command));
        return new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aMailClientSeesTaggedSubjectsAndNeverTheHiddenMessage(Upstream upstream) throws Exception {
        start(upstream);
        Properties properties = new Properties();
        properties.put("mail.pop3.host", "127.0.0.1");
        properties.put("mail.pop3.port", Integer.toString(proxy.plainPort()));
        Store store = Session.getInstance(properties).getStore("pop3");
        store.connect("alice", "secret");
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        List<String> subjects = Arrays.stream(inbox.getMessages()).map(message -> {
            try {
                return message.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(subjects).containsExactly("lunch?", "[SPAM] great offer", "[SPAM] you are a winner", "minutes");
        assertThat(inbox.getMessage(3).getHeader("X-Spam-Rules")).containsExactly("upstream-says-spam,lottery");
        assertThat(inbox.getMessage(3).getHeader("X-Spam-Score")).containsExactly("13");
        inbox.close(false);
        store.close();
    }

    /**
     * GreenMail's own LIST counts only the body octets, so the check is on the difference: the
     * proxy's LIST differs from the server's by exactly what the filters added.
     */
    @ParameterizedTest
    @EnumSource(Upstream.class)
    void topAndRetrTagAlikeAndListAccountsForEveryOctetTheFiltersAdd(Upstream upstream) throws Exception {
        start(upstream);
        List<String> proxied;
        List<String> direct;
        try (RawPop3Client client = loggedIn()) {
            proxied = listing(client);
        }
        try (RawPop3Client server = RawPop3Client.plain(mailServer.getPop3().getPort())) {
            RawPop3Client.expectOk(server.readLine());
            server.login("alice", "secret");
            direct = listing(server);
        }
        if (upstream == Upstream.IMAP) {
            // Sizes come from RFC822.SIZE then, which GreenMail counts differently from its POP3 LIST.
            List<Long> sizes = new JakartaImapView(mailServer.getImap().getPort(), "alice", "secret").rfc822Sizes();
            direct = new ArrayList<>();
            for (int n = 1; n <= sizes.size(); n++) {
                direct.add(n + " " + sizes.get(n - 1));
            }
        }
        List<Integer> visible = List.of(1, 2, 4, 5);
        assertThat(proxied).hasSize(4);
        try (RawPop3Client client = loggedIn();
             RawPop3Client server = RawPop3Client.plain(mailServer.getPop3().getPort())) {
            RawPop3Client.expectOk(server.readLine());
            server.login("alice", "secret");
            for (int n = 1; n <= 4; n++) {
                String top = body(client, "TOP " + n + " 0");
                String message = body(client, "RETR " + n);
                assertThat(message).startsWith(top);
                int upstreamNumber = visible.get(n - 1);
                long added = octets(message) - octets(body(server, "RETR " + upstreamNumber));
                assertThat(size(proxied.get(n - 1)) - size(direct.get(upstreamNumber - 1))).isEqualTo(added);
                assertThat(added > 0).isEqualTo(message.contains("[SPAM]"));
            }
        }
    }

    /** A filter that answers later, from another thread, holds the replies behind it; none overtakes it. */
    @ParameterizedTest
    @EnumSource(Upstream.class)
    void pipelinedRepliesKeepTheirOrderWhileASlowFilterDecides(Upstream upstream) throws Exception {
        try (TestFilters.Slow slow = new TestFilters.Slow(Duration.ofMillis(40))) {
            start(upstream, TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, Duration.ofSeconds(5),
                    "slow", slow, "hide", hide()), true));
            try (RawPop3Client client = loggedIn()) {
                client.sendRaw("RETR 1\r\nNOOP\r\nRETR 2\r\nSTAT\r\nTOP 1 0\r\nUIDL 4\r\n");
                RawPop3Client.expectOk(client.readLine());
                String first = new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.readLine());
                String second = new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
                assertThat(client.readLine()).startsWith("+OK 4 ");
                RawPop3Client.expectOk(client.readLine());
                String top = new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
                assertThat(client.readLine()).startsWith("+OK 4 ");
                assertThat(first).contains("Subject: lunch?", "X-Scanned: slowly").endsWith(".leading dot\r\n");
                assertThat(second).contains("Subject: great offer", "X-Scanned: slowly");
                assertThat(first).startsWith(top);
            }
        }
    }

    private static List<String> listing(RawPop3Client client) throws Exception {
        RawPop3Client.expectOk(client.command("LIST"));
        List<String> listing = new ArrayList<>();
        for (String line = client.readLine(); !line.equals("."); line = client.readLine()) {
            listing.add(line);
        }
        return listing;
    }

    private static long size(String listingLine) {
        return Long.parseLong(listingLine.split(" ")[1]);
    }

    private static long octets(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1).length;
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void deleteThenQuitRemovesExactlyTheChosenMessageAndNeverAHiddenOne(Upstream upstream) throws Exception {
        start(upstream);
        try (RawPop3Client client = loggedIn()) {
            assertThat(body(client, "RETR 3")).contains("Subject: [SPAM] you are a winner");
            RawPop3Client.expectOk(client.command("DELE 3"));
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        List<String> remaining = new ArrayList<>();
        for (MimeMessage message : waitForMessages(4)) {
            remaining.add(message.getSubject());
        }
        assertThat(remaining).containsExactlyInAnyOrder("lunch?", "great offer", "quarantine me", "minutes");
    }

    private MimeMessage[] waitForMessages(int count) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            MimeMessage[] messages = mailServer.getReceivedMessagesForDomain("localhost");
            if (messages.length == count) {
                return messages;
            }
            Thread.sleep(50);
        }
        return mailServer.getReceivedMessagesForDomain("localhost");
    }
}
