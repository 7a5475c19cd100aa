package org.popbridge.proxy.clientaddress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * {@code forward-client-address: true}: each kind of server is told the real client before
 * the login, in its own way, where it offers one (POP3 XCLIENT as Dovecot takes it, IMAP ID
 * with Dovecot's x-originating-ip, SMTP XCLIENT as Postfix takes it), for direct and routed
 * sessions alike. The client here comes through a load balancer's PROXY header, so the address
 * told is one the proxy could only have learnt from it.
 */
class ForwardClientAddressTest {

    /** What the load balancer says: the client is 203.0.113.7, port 4242. */
    private static final String HEADER = "PROXY TCP4 203.0.113.7 192.0.2.10 4242 110\r\n";
    private static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n";

    @TempDir
    Path stateDir;

    private ProxyFixture proxy;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    /** popbridge behind a load balancer on loopback; {@code rest} is the YAML after listen:. */
    private void start(String listenerUrl, String rest) throws Exception {
        String yaml = """
                listen:
                  - url: %s
                    proxy-protocol:
                      trusted: [127.0.0.0/8]
                state-dir: %s
                %s
                """.formatted(listenerUrl, stateDir, rest);
        proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("forward.yaml"), yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private RawPop3Client greetedBehindTheBalancer() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        client.sendRaw(HEADER);
        RawPop3Client.expectOk(client.readLine());
        return client;
    }

    private ScriptedPop3Server pop3Server(String user, String... capabilities) throws Exception {
        ScriptedPop3Server server = new ScriptedPop3Server(user, "pw", List.of(MessageSource.of(MESSAGE)))
                .capabilities(List.of(capabilities));
        servers.add(server);
        return server;
    }

    @Test
    void aPop3ServerThatOffersXclientIsToldTheClientAndTheClientNeverGetsXclient() throws Exception {
        ScriptedPop3Server server = pop3Server("alice", "USER", "UIDL", "XCLIENT");
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (RawPop3Client client = greetedBehindTheBalancer()) {
            RawPop3Client.expectOk(client.command("CAPA"));
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).contains("UIDL").doesNotContain("XCLIENT");
            client.login("alice", "pw");
            // Only popbridge may name the client: the client's own XCLIENT never reaches the server.
            assertThat(client.command("XCLIENT ADDR=192.0.2.66 PORT=1")).startsWith("-ERR");
        }
        // Popbridge's CAPA, its XCLIENT, then the login (the client's CAPA was answered by popbridge).
        assertThat(server.commandsSeen()).containsExactly("CAPA", "XCLIENT ADDR=203.0.113.7 PORT=4242",
                "USER alice", "PASS pw");
    }

    @Test
    void dovecotsXclientInTheGreetingIsTakenAsTheOfferThoughCapaListsNone() throws Exception {
        ScriptedPop3Server server = pop3Server("alice", "USER", "UIDL", "SASL PLAIN").xclientInGreeting();
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy.upstream");
             RawPop3Client client = greetedBehindTheBalancer()) {
            client.login("alice", "pw");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            assertThat(logs.events()).noneMatch(event -> event.getLevel() == Level.WARN);
        }
        assertThat(server.commandsSeen()).startsWith("CAPA", "XCLIENT ADDR=203.0.113.7 PORT=4242",
                "USER alice", "PASS pw", "STAT");
    }

    @Test
    void aPop3ServerWithoutXclientIsNotToldAndTheLogSaysSoOncePerUpstream() throws Exception {
        ScriptedPop3Server server = pop3Server("alice", "USER", "UIDL");
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy.upstream")) {
            for (int session = 0; session < 2; session++) {
                try (RawPop3Client client = greetedBehindTheBalancer()) {
                    client.login("alice", "pw");
                }
            }
            assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("forward-client-address", "pop3://127.0.0.1:" + server.port(), "offers no XCLIENT"));
        }
        assertThat(server.commandsSeen()).noneMatch(line -> line.startsWith("XCLIENT"));
    }

    @Test
    void aRoutedUserIsNamedToTheRoutesServerBeforeTheReplayedLogin() throws Exception {
        ScriptedPop3Server server = pop3Server("bob@pop.test", "USER", "XCLIENT");
        start("pop3://127.0.0.1:0", """
                routes:
                  - match: bob
                    add-domain: pop.test
                    upstream:
                      url: pop3://127.0.0.1:%d
                      forward-client-address: true
                """.formatted(server.port()));
        try (RawPop3Client client = greetedBehindTheBalancer()) {
            client.login("bob", "pw");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(server.commandsSeen()).startsWith("CAPA", "XCLIENT ADDR=203.0.113.7 PORT=4242", "USER bob@pop.test",
                "PASS pw");
    }

    @Test
    void anImapServerThatOffersIdIsToldTheClientBeforeTheLogin() throws Exception {
        ScriptedImapServer server = imapServer("IMAP4rev1 ID UIDPLUS");
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: imap://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (RawPop3Client client = greetedBehindTheBalancer()) {
            client.login("alice", "pw");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        List<String> received = server.received();
        int id = indexOf(received, " ID (");
        assertThat(received.get(id)).endsWith(" ID (\"x-originating-ip\" \"203.0.113.7\" \"x-originating-port\" \"4242\" "
                + "\"x-connected-ip\" \"127.0.0.1\" \"x-connected-port\" \"" + server.port() + "\")");
        assertThat(id).isLessThan(indexOf(received, " LOGIN "));
    }

    @Test
    void anImapServerWithoutIdIsSentNone() throws Exception {
        ScriptedImapServer server = imapServer("IMAP4rev1 UIDPLUS");
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: imap://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy.upstream");
             RawPop3Client client = greetedBehindTheBalancer()) {
            client.login("alice", "pw");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            assertThat(logs.events()).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("offers no ID");
            });
        }
        assertThat(server.received()).noneMatch(line -> line.contains(" ID "));
    }

    @Test
    void onTheSubmissionServerForwardClientAddressIsXclientWithThePortWhereListed() throws Exception {
        ScriptedSmtpServer server = new ScriptedSmtpServer("alice", "pw").extensions(List.of("PIPELINING",
                "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES", "XCLIENT NAME ADDR PORT PROTO HELO LOGIN"));
        servers.add(server);
        start("smtp://127.0.0.1:0", """
                submission:
                  url: smtp://127.0.0.1:%d
                  forward-client-address: true
                """.formatted(server.port()));
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            client.send(HEADER);
            assertThat(client.logIn("alice", "pw")).startsWith("235 ");
        }
        List<String> seen = server.commandsSeen();
        assertThat(seen).contains("XCLIENT ADDR=203.0.113.7 PORT=4242");
        assertThat(seen.indexOf("XCLIENT ADDR=203.0.113.7 PORT=4242")).isLessThan(indexOf(seen, "AUTH PLAIN"));
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + part + "' in " + lines);
    }

    /** A one-message IMAP mailbox that answers ID as Dovecot does, and everything else with OK. */
    private ScriptedImapServer imapServer(String capabilities) throws Exception {
        ScriptedImapServer server = new ScriptedImapServer("* OK [CAPABILITY " + capabilities + "] scripted\r\n",
                line -> {
                    String tag = line.substring(0, line.indexOf(' '));
                    String command = line.substring(tag.length() + 1);
                    if (command.startsWith("ID ")) {
                        return "* ID (\"name\" \"scripted\")\r\n" + tag + " OK ID completed\r\n";
                    }
                    if (command.startsWith("CAPABILITY")) {
                        return "* CAPABILITY " + capabilities + "\r\n" + tag + " OK done\r\n";
                    }
                    if (command.startsWith("SELECT")) {
                        return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] selected\r\n";
                    }
                    if (command.startsWith("FETCH 1:*")) {
                        return "* 1 FETCH (UID 10 RFC822.SIZE " + MESSAGE.length() + ")\r\n" + tag + " OK done\r\n";
                    }
                    return tag + " OK done\r\n";
                });
        servers.add(server);
        return server;
    }
}
