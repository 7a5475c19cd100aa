package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.RawPop3Client;

/**
 * {@code popbridge demo} sends as well as reads: its SMTP listeners relay to the sample server's
 * SMTP, and mail for the demo user comes back through its POP3 side. The proxy runs here on
 * OS-chosen ports instead of the demo's fixed ones, with the demo's own filters.
 */
class DemoCommandTest {

    @TempDir
    Path stateDir;

    private DemoCommand.Prepared demo;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (demo != null) {
            demo.sample().stop();
        }
    }

    private DemoCommand.Prepared prepare() throws Exception {
        DemoCommand command = new DemoCommand();
        command.options.stateDir = stateDir;
        demo = command.prepare();
        return demo;
    }

    @Test
    void theDemoListensForPop3AndSmtpAndSendsThroughTheSampleServer() throws Exception {
        PopbridgeConfig config = prepare().config();

        assertThat(config.listen()).extracting(ListenerConfig::url).containsExactly(
                "pop3://127.0.0.1:1110", "pop3s://127.0.0.1:1995", "smtp://127.0.0.1:1587", "smtps://127.0.0.1:1465");
        assertThat(config.submission().url()).isEqualTo("smtp://127.0.0.1:" + demo.sample().getSmtp().getPort());
        assertThat(config.upstream().url()).isEqualTo("pop3://127.0.0.1:" + demo.sample().getPop3().getPort());
    }

    @Test
    void explicitListenersAreKeptAsGiven() throws Exception {
        DemoCommand command = new DemoCommand();
        command.options.stateDir = stateDir;
        command.options.listen.add("pop3s://127.0.0.1:1995");
        demo = command.prepare();

        assertThat(demo.config().listen()).extracting(ListenerConfig::url).containsExactly("pop3s://127.0.0.1:1995");
        assertThat(demo.config().submission()).as("no SMTP listener, so no submission server").isNull();
    }

    @Test
    void upstreamIsRefusedRatherThanIgnored() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int status;
        try {
            status = new picocli.CommandLine(new PopbridgeCommand())
                    .execute("demo", "--state-dir", stateDir.toString(), "--upstream", "pop3s://mail.example.com");
        } finally {
            System.setErr(original);
        }

        assertThat(status).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("popbridge: demo: --upstream does not apply: the demo relays to its own sample server.");
    }

    @Test
    void theSampleServersListSizesAreTheOctetsRetrSends() throws Exception {
        prepare();
        try (RawPop3Client client = RawPop3Client.plain(demo.sample().getPop3().getPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login(DemoCommand.USER, DemoCommand.PASSWORD);
            String[] stat = RawPop3Client.expectOk(client.command("STAT")).split(" ");
            long total = 0;
            for (int number = 1; number <= 5; number++) {
                String[] listed = RawPop3Client.expectOk(client.command("LIST " + number)).split(" ");
                RawPop3Client.expectOk(client.command("RETR " + number));
                byte[] sent = client.readBody();
                // The message is what comes before the terminating ".", with the stuffed dots undone.
                long octets = DotStuffing.unstuff(sent).length;
                assertThat(Long.parseLong(listed[2])).as("LIST %d", number).isEqualTo(octets);
                total += octets;
            }
            assertThat(stat).containsExactly("+OK", "5", String.valueOf(total));
        }
    }

    @Test
    void mailSentThroughTheDemoIsReadBackThroughIt() throws Exception {
        PopbridgeConfig config = prepare().config();
        // The demo's listeners in the same order (pop3, pop3s, smtp, smtps), on free ports.
        proxy = ProxyFixture.start(config.withListen(config.listen().stream()
                .map(listener -> ListenerConfig.parse(listener.scheme().scheme() + "://127.0.0.1:0")).toList()));

        send("smtp", proxy.address(2).getPort(), "Sent over STARTTLS");
        send("smtps", proxy.address(3).getPort(), "Sent over implicit TLS");

        assertThat(demo.sample().waitForIncomingEmail(5_000, 2)).isTrue();
        Store store = connect("pop3s", proxy.address(1).getPort());
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(7);
        assertThat(Arrays.stream(inbox.getMessages()).skip(5).map(DemoCommandTest::subject))
                .containsExactly("Sent over STARTTLS", "Sent over implicit TLS");
        // The demo's filters for mail sent stamped both on their way out.
        assertThat(inbox.getMessage(6).getHeader("X-Sent-Via")).containsExactly("popbridge");
        assertThat(inbox.getMessage(7).getHeader("X-Sent-Via")).containsExactly("popbridge");
        inbox.close(false);
        store.close();
    }

    /** Jakarta Mail's SMTP provider, as user demo, trusting only the demo's self-signed certificate. */
    private void send(String protocol, int port, String subject) throws Exception {
        Properties properties = tls(protocol);
        properties.put("mail." + protocol + ".host", "127.0.0.1");
        properties.put("mail." + protocol + ".port", String.valueOf(port));
        properties.put("mail." + protocol + ".auth", "true");
        if (protocol.equals("smtp")) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(DemoCommand.RECIPIENT));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(DemoCommand.RECIPIENT));
        message.setSubject(subject);
        message.setText("sent through popbridge's demo\r\n", "US-ASCII");
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(DemoCommand.USER, DemoCommand.PASSWORD);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private Store connect(String protocol, int port) throws Exception {
        Store store = Session.getInstance(tls(protocol)).getStore(protocol);
        store.connect("127.0.0.1", port, DemoCommand.USER, DemoCommand.PASSWORD);
        return store;
    }

    private Properties tls(String protocol) throws Exception {
        Properties properties = new Properties();
        properties.put("mail." + protocol + ".ssl.socketFactory",
                RawPop3Client.trusting(proxy.certificate()).getSocketFactory());
        properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        properties.put("mail." + protocol + ".connectiontimeout", "10000");
        properties.put("mail." + protocol + ".timeout", "10000");
        return properties;
    }

    private static String subject(Message message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
