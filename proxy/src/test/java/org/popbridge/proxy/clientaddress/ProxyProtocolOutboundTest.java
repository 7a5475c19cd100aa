package org.popbridge.proxy.clientaddress;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.ProxyHeaders;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * {@code proxy-protocol: v2} (or v1) on an upstream: the connection opens with a PROXY header
 * naming the real client as the source and the upstream as the destination, ahead of TLS and
 * of the protocol, which then goes on as usual. The scripted servers cut the header off the raw
 * stream; netty's decoder reads it back.
 */
class ProxyProtocolOutboundTest {

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

    /** popbridge behind a load balancer on loopback, so the client's address is one a header gave it. */
    private void start(String listenerUrl, String servers) throws Exception {
        String yaml = """
                listen:
                  - url: %s
                    proxy-protocol:
                      trusted: [127.0.0.1/32]
                state-dir: %s
                %s
                """.formatted(listenerUrl, stateDir, servers);
        proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("outbound.yaml"), yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private ScriptedPop3Server pop3Server() throws Exception {
        ScriptedPop3Server server = new ScriptedPop3Server("alice", "pw", List.of(MessageSource.of(MESSAGE)))
                .readProxyHeader();
        servers.add(server);
        return server;
    }

    private RawPop3Client loggedIn(byte[] inboundHeader) throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        client.sendRaw(ProxyHeaders.asText(inboundHeader));
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "pw");
    }

    @Test
    void aPop3UpstreamGetsTheExactV2HeaderThenThePop3Session() throws Exception {
        ScriptedPop3Server server = pop3Server();
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  proxy-protocol: v2
                """.formatted(server.port()));
        try (RawPop3Client client = loggedIn(ProxyHeaders.v1("203.0.113.7", 4242, "192.0.2.10", 110))) {
            assertThat(client.command("STAT")).isEqualTo("+OK 1 " + MESSAGE.length());
        }
        byte[] header = server.proxyHeaders().get(0);
        assertThat(header).isEqualTo(ProxyHeaders.v2("203.0.113.7", 4242, "127.0.0.1", server.port()));
        HAProxyMessage decoded = ProxyHeaders.decode(header);
        try {
            assertThat(decoded.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
            assertThat(decoded.command()).isEqualTo(HAProxyCommand.PROXY);
            assertThat(decoded.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP4);
            assertThat(decoded.sourceAddress()).isEqualTo("203.0.113.7");
            assertThat(decoded.sourcePort()).isEqualTo(4242);
            assertThat(decoded.destinationAddress()).isEqualTo("127.0.0.1");
            assertThat(decoded.destinationPort()).isEqualTo(server.port());
        } finally {
            decoded.release();
        }
        assertThat(server.commandsSeen()).startsWith("CAPA", "USER alice", "PASS pw", "STAT");
    }

    @Test
    void theHeaderGoesAheadOfTlsToAnImplicitTlsUpstream() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        ScriptedPop3Server server = pop3Server().implicitTls(pki.serverContext("localhost"));
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3s://localhost:%d
                  ca: %s
                  proxy-protocol: v2
                """.formatted(server.port(), pki.writeCa(stateDir.resolve("ca.pem"))));
        try (RawPop3Client client = loggedIn(ProxyHeaders.v2("198.51.100.23", 50123, "192.0.2.10", 110))) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        HAProxyMessage decoded = ProxyHeaders.decode(server.proxyHeaders().get(0));
        try {
            assertThat(decoded.sourceAddress()).isEqualTo("198.51.100.23");
            assertThat(decoded.sourcePort()).isEqualTo(50123);
        } finally {
            decoded.release();
        }
    }

    @Test
    void v1IsTheTextHeader() throws Exception {
        ScriptedPop3Server server = pop3Server();
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  proxy-protocol: v1
                """.formatted(server.port()));
        try (RawPop3Client client = loggedIn(ProxyHeaders.v1("203.0.113.7", 4242, "192.0.2.10", 110))) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(new String(server.proxyHeaders().get(0), StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 203.0.113.7 127.0.0.1 4242 " + server.port() + "\r\n");
    }

    @Test
    void anIpv6ClientToAnIpv4UpstreamIsOneTcp6HeaderWithTheUpstreamIpv4Mapped() throws Exception {
        ScriptedPop3Server server = pop3Server();
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: pop3://127.0.0.1:%d
                  proxy-protocol: v2
                """.formatted(server.port()));
        try (RawPop3Client client = loggedIn(ProxyHeaders.v2("2001:db8::7", 4242, "2001:db8::1", 110))) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        HAProxyMessage decoded = ProxyHeaders.decode(server.proxyHeaders().get(0));
        try {
            assertThat(decoded.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP6);
            assertThat(InetAddress.getByName(decoded.sourceAddress())).isEqualTo(InetAddress.getByName("2001:db8::7"));
            // Java reads ::ffff:127.0.0.1 back as the IPv4 address it maps.
            assertThat(InetAddress.getByName(decoded.destinationAddress())).isEqualTo(InetAddress.getByName("127.0.0.1"));
        } finally {
            decoded.release();
        }
    }

    @Test
    void anImapUpstreamGetsTheHeaderBeforeItsGreeting() throws Exception {
        ScriptedImapServer server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 UIDPLUS] scripted\r\n", line -> {
            String tag = line.substring(0, line.indexOf(' '));
            String command = line.substring(tag.length() + 1);
            if (command.startsWith("SELECT")) {
                return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] selected\r\n";
            }
            if (command.startsWith("FETCH 1:*")) {
                return "* 1 FETCH (UID 10 RFC822.SIZE " + MESSAGE.length() + ")\r\n" + tag + " OK done\r\n";
            }
            return tag + " OK done\r\n";
        }).readProxyHeader();
        servers.add(server);
        start("pop3://127.0.0.1:0", """
                upstream:
                  url: imap://127.0.0.1:%d
                  proxy-protocol: v2
                """.formatted(server.port()));
        try (RawPop3Client client = loggedIn(ProxyHeaders.v1("203.0.113.7", 4242, "192.0.2.10", 110))) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(server.proxyHeader()).isEqualTo(ProxyHeaders.v2("203.0.113.7", 4242, "127.0.0.1", server.port()));
    }

    @Test
    void aSubmissionServerGetsTheHeaderBeforeItsGreeting() throws Exception {
        ScriptedSmtpServer server = new ScriptedSmtpServer("alice", "pw").readProxyHeader();
        servers.add(server);
        start("smtp://127.0.0.1:0", """
                submission:
                  url: smtp://127.0.0.1:%d
                  proxy-protocol: v2
                """.formatted(server.port()));
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            client.send(ProxyHeaders.asText(ProxyHeaders.v2("203.0.113.7", 4242, "192.0.2.10", 587)));
            assertThat(client.logIn("alice", "pw")).startsWith("235 ");
        }
        assertThat(server.proxyHeaders()).singleElement()
                .isEqualTo(ProxyHeaders.v2("203.0.113.7", 4242, "127.0.0.1", server.port()));
        assertThat(server.commandsSeen()).noneMatch(line -> line.startsWith("XCLIENT"));
    }
}
