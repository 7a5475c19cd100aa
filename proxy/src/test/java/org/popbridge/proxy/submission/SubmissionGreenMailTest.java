package org.popbridge.proxy.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawSmtpClient;

/**
 * Mail sent through popbridge's SMTP listener to GreenMail's submission server: the login is
 * the server's (a wrong password is refused there, with its code), and the message reaches
 * the server as the client wrote it, dot lines included.
 */
class SubmissionGreenMailTest {

    private static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    Path stateDir;

    private GreenMail mailServer;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        mailServer = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mailServer.start();
        mailServer.setUser("alice@localhost", "alice", PASSWORD);
        String yaml = """
                listen: [smtp://127.0.0.1:0]
                submission: smtp://127.0.0.1:%d
                state-dir: %s
                """.formatted(mailServer.getSmtp().getPort(), stateDir);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        mailServer.stop();
    }

    @Test
    void aMessageSentThroughPopbridgeIsStoredAsTheSameMessageSentDirectly() throws Exception {
        String body = "first line\r\n.\r\n..two dots\r\n.leading dot\r\n"
                + "x".repeat(998) + "\r\n\r\nlast line\r\n";
        Transport.send(message(body, "through popbridge"), "alice", PASSWORD);
        Transport.send(message(body, "direct"), "alice", PASSWORD);
        // The second goes straight to GreenMail: whatever its parser makes of the body, both must match.
        Properties direct = new Properties();
        direct.put("mail.smtp.host", "127.0.0.1");
        direct.put("mail.smtp.port", String.valueOf(mailServer.getSmtp().getPort()));
        direct.put("mail.smtp.auth", "true");
        MimeMessage straight = new MimeMessage(Session.getInstance(direct));
        straight.setFrom(new InternetAddress("alice@localhost"));
        straight.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@localhost"));
        straight.setSubject("direct");
        straight.setText(body, "US-ASCII");
        Transport.send(straight, "alice", PASSWORD);

        assertThat(mailServer.waitForIncomingEmail(5_000, 3)).isTrue();
        MimeMessage[] received = mailServer.getReceivedMessages();
        assertThat(received[0].getSubject()).isEqualTo("through popbridge");
        assertThat(content(received[0])).isEqualTo(content(received[2])).contains("\r\n.\r\n..two dots\r\n.leading dot");
    }

    private MimeMessage message(String body, String subject) throws Exception {
        MimeMessage message = new MimeMessage(session());
        message.setFrom(new InternetAddress("alice@localhost"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@localhost"));
        message.setSubject(subject);
        message.setText(body, "US-ASCII");
        return message;
    }

    @Test
    void aWrongPasswordIsRefusedByTheServerAndNothingIsSent() throws Exception {
        Session session = session();
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@localhost"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@localhost"));
        message.setText("never sent");
        try {
            Transport.send(message, "alice", "wrong");
        } catch (AuthenticationFailedException expected) {
            // The server's refusal, passed on.
        }
        assertThat(mailServer.getReceivedMessages()).isEmpty();
    }

    @Test
    void mailBeforeAuthIsRefusedWith530() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).contains("AUTH PLAIN LOGIN").contains("PIPELINING");
            assertThat(client.command("MAIL FROM:<alice@localhost>")).startsWith("530 5.7.0");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
        assertThat(mailServer.getReceivedMessages()).isEmpty();
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
            client.send("MAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@localhost>\r\nRCPT TO:<carol@localhost>\r\nDATA\r\n");
            assertThat(client.reply()).startsWith("250 ");
            assertThat(client.reply()).startsWith("250 ");
            assertThat(client.reply()).startsWith("250 ");
            assertThat(client.reply()).startsWith("354 ");
            assertThat(client.command("Subject: pipelined\r\n\r\nbody\r\n.")).startsWith("250 ");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
        assertThat(mailServer.waitForIncomingEmail(5_000, 2)).isTrue();
    }

    @Test
    void anOversizedMailFromIsRefusedBeforeData() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
            assertThat(client.command("MAIL FROM:<alice@localhost> SIZE=999999999999")).startsWith("552 5.3.4");
        }
    }

    private Session session() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(proxy.address(0).getPort()));
        properties.put("mail.smtp.auth", "true");
        return Session.getInstance(properties);
    }

    private static String content(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.getDataHandler().writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
