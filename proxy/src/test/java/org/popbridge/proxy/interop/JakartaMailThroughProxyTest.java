package org.popbridge.proxy.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;

/**
 * A real client library (Jakarta Mail's POP3 provider) through popbridge to a real POP3
 * server (GreenMail), over implicit TLS with the proxy's certificate verified.
 */
class JakartaMailThroughProxyTest {

    @TempDir
    Path stateDir;

    private GreenMail mailServer;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        mailServer = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort());
        mailServer.start();
        GreenMailUser alice = mailServer.setUser("alice@localhost", "alice", "secret");
        for (int i = 1; i <= 3; i++) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
            message.setFrom("bob@example.org");
            message.setRecipients(Message.RecipientType.TO, "alice@localhost");
            message.setSubject("subject " + i);
            message.setText("body of message " + i);
            alice.deliver(message);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        mailServer.stop();
    }

    @Test
    void readsEveryMessageThroughTheProxy() throws Exception {
        proxy = ProxyFixture.inFrontOf(mailServer.getPop3().getPort(), stateDir);
        Store store = connect();
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(3);
        assertThat(Arrays.stream(inbox.getMessages()).map(JakartaMailThroughProxyTest::subject))
                .containsExactly("subject 1", "subject 2", "subject 3");
        assertThat(((String) inbox.getMessage(2).getContent()).strip()).isEqualTo("body of message 2");
        inbox.close(false);
        store.close();
    }

    @Test
    void deletionsAreAppliedOnlyWhenTheClientExpungesOnClose() throws Exception {
        proxy = ProxyFixture.inFrontOf(mailServer.getPop3().getPort(), stateDir);
        Store store = connect();
        Folder inbox = store.getFolder("INBOX");

        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        inbox.close(false); // RSET then QUIT: nothing deleted
        assertThat(messagesOnServer()).isEqualTo(3);

        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        inbox.close(true); // QUIT applies the DELE
        assertThat(messagesOnServer()).isEqualTo(2);
        store.close();
    }

    private Store connect() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.pop3s.ssl.socketFactory",
                RawPop3Client.trusting(proxy.certificate()).getSocketFactory());
        properties.put("mail.pop3s.ssl.checkserveridentity", "true");
        properties.put("mail.pop3s.connectiontimeout", "10000");
        properties.put("mail.pop3s.timeout", "10000");
        Store store = Session.getInstance(properties).getStore("pop3s");
        store.connect("127.0.0.1", proxy.tlsPort(), "alice", "secret");
        return store;
    }

    /** Counts the maildrop directly on the mail server, bypassing the proxy. */
    private int messagesOnServer() throws Exception {
        Store direct = Session.getInstance(new Properties()).getStore("pop3");
        direct.connect("127.0.0.1", mailServer.getPop3().getPort(), "alice", "secret");
        Folder inbox = direct.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        int count = inbox.getMessageCount();
        inbox.close(false);
        direct.close();
        return count;
    }

    private static String subject(Message message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
