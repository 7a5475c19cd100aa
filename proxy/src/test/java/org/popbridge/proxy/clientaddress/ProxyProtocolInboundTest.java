package org.popbridge.proxy.clientaddress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.session.CidrBlock;
import org.popbridge.proxy.core.session.ProxyProtocolGate;
import org.popbridge.proxy.core.session.TrustedProxies;
import org.popbridge.proxy.core.upstream.ClientForwarding;
import org.popbridge.proxy.core.upstream.ProxyHeader;
import org.popbridge.proxy.pop3.session.Pop3Session;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.ProxyHeaders;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * A listener behind a load balancer: the PROXY header (v1 or v2) a trusted peer opens with
 * says where the client is, for the session's log and for what the upstream is told
 * (XCLIENT); anything else is closed before the greeting, and nothing reaches the upstream.
 */
class ProxyProtocolInboundTest {

    private static final List<String> CAPABILITIES = List.of("TOP", "UIDL", "USER", "XCLIENT", "PIPELINING");

    @TempDir
    Path stateDir;

    private ScriptedPop3Server server;
    private ProxyFixture proxy;

    @BeforeEach
    void upstream() throws Exception {
        server = new ScriptedPop3Server("alice", "pw", List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")))
                .capabilities(CAPABILITIES);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        server.close();
    }

    /** A plain and an implicit-TLS listener that trust {@code trusted}; the upstream is told the client (XCLIENT). */
    private void startBehind(String trusted, Duration headerTimeout) throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of(CidrBlock.parse(trusted))).withHeaderTimeout(headerTimeout);
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0").withProxyProtocol(proxies),
                        ListenerConfig.parse("pop3s://127.0.0.1:0").withProxyProtocol(proxies)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + server.port())
                        .withForwarding(new ClientForwarding(true, ProxyHeader.NONE)))
                .withStateDir(stateDir));
    }

    @Test
    void aV1HeaderFromATrustedPeerIsTheClientTheLogAndTheUpstreamSee() throws Exception {
        startBehind("127.0.0.0/8", Duration.ofSeconds(10));
        try (LogCapture logs = LogCapture.of(Pop3Session.class);
             RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            client.sendRaw("PROXY TCP4 203.0.113.7 192.0.2.10 4242 110\r\n");
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "pw");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");

            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.contains("connection from 203.0.113.7:4242 on pop3://127.0.0.1:"));
        }
        List<String> seen = server.commandsSeen();
        assertThat(seen).contains("XCLIENT ADDR=203.0.113.7 PORT=4242");
        assertThat(seen.indexOf("XCLIENT ADDR=203.0.113.7 PORT=4242")).isLessThan(seen.indexOf("USER alice"));
    }

    @Test
    void aV2HeaderWithAnIpv6ClientAndCommandsInTheSamePacketReachTheSession() throws Exception {
        startBehind("127.0.0.1/32", Duration.ofSeconds(10));
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            // The octets after the header belong to the session, even when they arrive with it.
            client.sendRaw(ProxyHeaders.asText(ProxyHeaders.v2("2001:db8::7", 4242, "2001:db8::1", 110))
                    + "USER alice\r\n");
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("PASS pw"));
        }
        assertThat(server.commandsSeen()).startsWith("CAPA", "XCLIENT ADDR=2001:db8::7 PORT=4242", "USER alice");
    }

    @Test
    void behindImplicitTlsTheHeaderComesFirstAndTlsAfterIt() throws Exception {
        startBehind("127.0.0.0/8", Duration.ofSeconds(10));
        try (RawPop3Client client = RawPop3Client.plain(proxy.tlsPort())) {
            client.sendRaw(ProxyHeaders.asText(ProxyHeaders.v2("198.51.100.23", 50123, "192.0.2.10", 995)));
            client.startTls(proxy.certificate());
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "pw");
        }
        assertThat(server.commandsSeen()).contains("XCLIENT ADDR=198.51.100.23 PORT=50123");
    }

    @Test
    void aLocalHeaderLeavesThePeerAsTheClient() throws Exception {
        startBehind("127.0.0.0/8", Duration.ofSeconds(10));
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            client.sendRaw(ProxyHeaders.asText(ProxyHeaders.v2Local()));
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "pw");
        }
        assertThat(server.commandsSeen()).anyMatch(line -> line.matches("XCLIENT ADDR=127\\.0\\.0\\.1 PORT=[0-9]+"));
    }

    @Test
    void aHeaderFromAnUntrustedPeerIsClosedWithoutAGreetingAndNothingReachesTheUpstream() throws Exception {
        startBehind("10.0.0.0/8", Duration.ofSeconds(10));
        try (LogCapture logs = LogCapture.of(ProxyProtocolGate.class);
             RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            client.sendRaw("PROXY TCP4 203.0.113.7 192.0.2.10 4242 110\r\n");
            // Closed with the header unread, the kernel may say so with a reset rather than an end of stream.
            assertThat(client.isClosedByPeer()).as("closed, no greeting").isTrue();
            assertClosedOnceAtInfo(logs, "not from a trusted proxy");
        }
        assertThat(server.sessionsEnded()).isZero();
        assertThat(server.commandsSeen()).isEmpty();
    }

    @Test
    void aTrustedPeerThatSendsNoHeaderIsClosedWhenTheTimeoutEnds() throws Exception {
        startBehind("127.0.0.0/8", Duration.ofMillis(300));
        try (LogCapture logs = LogCapture.of(ProxyProtocolGate.class);
             RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            long start = System.nanoTime();
            assertThat(client.readLine()).as("no greeting").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertClosedOnceAtInfo(logs, "no PROXY header within 300 ms");
        }
        assertThat(server.commandsSeen()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "USER alice, who forgot the load balancer\r\n",
        "PROXY TCP4 203.0.113.999 192.0.2.10 4242 110\r\n",
        "PROXY TCP4 203.0.113.7 192.0.2.10 4242\r\n",
        "\r\n\r\n\0\r\nQUIT\n1\u0011\0\f"})
    void aMalformedHeaderIsClosedWithoutAGreeting(String sent) throws Exception {
        startBehind("127.0.0.0/8", Duration.ofSeconds(10));
        try (LogCapture logs = LogCapture.of(ProxyProtocolGate.class);
             RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            // The v2 case names a version (3) that does not exist, and twelve octets of addresses follow.
            client.sendRaw(sent + "\0".repeat(12));
            assertThat(client.readLine()).as("no greeting").isNull();
            assertClosedOnceAtInfo(logs, "malformed PROXY header");
        }
        assertThat(server.commandsSeen()).isEmpty();
    }

    @Test
    void aListenerWithoutProxyProtocolTakesClientsAsBefore() throws Exception {
        proxy = ProxyFixture.inFrontOf(server.port(), stateDir);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "pw");
        }
        assertThat(server.commandsSeen()).noneMatch(line -> line.startsWith("XCLIENT"));
    }

    private static void assertClosedOnceAtInfo(LogCapture logs, String why) throws InterruptedException {
        logs.await(event -> event.getFormattedMessage().contains("closed without a greeting"), 5000);
        assertThat(logs.events()).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getLevel()).isEqualTo(Level.INFO);
                    assertThat(event.getFormattedMessage()).contains("connection from 127.0.0.1:").contains(why);
                });
    }
}
