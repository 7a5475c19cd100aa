package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.MultilineReply;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/** CAPA (RFC 2449 section 5) as the client sees it: derived from the upstream's, adjusted to this connection. */
class CapabilityAdvertisementTest {

    /** A richer upstream than the proxy can relay: CRAM-MD5 and XOAUTH2, its own STLS and IMPLEMENTATION. */
    private static final List<String> UPSTREAM_CAPABILITIES = List.of("TOP", "UIDL", "USER",
            "SASL CRAM-MD5 PLAIN XOAUTH2 LOGIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION Dovecot");

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    private void startBehindFixture() throws Exception {
        upstream = newUpstream();
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    private void startRequiringTls() throws Exception {
        upstream = newUpstream();
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.of("pop3://127.0.0.1:0", true)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withStateDir(stateDir));
    }

    private ScriptedPop3Server newUpstream() throws Exception {
        return new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")))
                .capabilities(UPSTREAM_CAPABILITIES)
                .offerStls(TestCertificates.newCa().serverContext("127.0.0.1"));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static List<String> capa(RawPop3Client client) throws Exception {
        String status = client.command("CAPA");
        assertThat(status).startsWith("+OK");
        return MultilineReply.lines(client.readBody());
    }

    @Test
    void plainListenerBeforeTlsOffersRelayableCapabilitiesAndItsOwnStls() throws Exception {
        startBehindFixture();
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            List<String> capabilities = capa(client);
            assertThat(capabilities).contains("TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                    "IMPLEMENTATION popbridge", "STLS");
            assertThat(capabilities).filteredOn(line -> line.startsWith("SASL")).containsExactly("SASL PLAIN LOGIN");
            assertThat(capabilities).filteredOn("STLS"::equals).as("the proxy's STLS, once").hasSize(1);
            assertThat(capabilities).filteredOn(line -> line.startsWith("IMPLEMENTATION"))
                    .containsExactly("IMPLEMENTATION popbridge");
            assertThat(capabilities).doesNotContain("IMPLEMENTATION Dovecot")
                    .noneMatch(line -> line.contains("CRAM-MD5") || line.contains("XOAUTH2"));
        }
    }

    @Test
    void implicitTlsListenerOffersNoStlsEvenThoughTheUpstreamDoes() throws Exception {
        startBehindFixture();
        try (RawPop3Client direct = RawPop3Client.plain(upstream.port())) {
            RawPop3Client.expectOk(direct.readLine());
            assertThat(capa(direct)).as("precondition: the upstream itself offers STLS").contains("STLS");
        }
        try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
            RawPop3Client.expectOk(client.readLine());
            List<String> capabilities = capa(client);
            assertThat(capabilities).doesNotContain("STLS");
            assertThat(capabilities).contains("TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE",
                    "PIPELINING", "IMPLEMENTATION popbridge");
        }
    }

    @Test
    void noStlsAfterStlsNorAfterLogin() throws Exception {
        startBehindFixture();
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            List<String> afterTls = capa(client);
            assertThat(afterTls).doesNotContain("STLS").contains("USER", "SASL PLAIN LOGIN", "IMPLEMENTATION popbridge");

            client.login("alice", "secret");
            assertThat(capa(client)).doesNotContain("STLS").contains("TOP", "UIDL", "PIPELINING");
        }
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            assertThat(capa(client)).as("STLS is not valid in TRANSACTION").doesNotContain("STLS");
        }
    }

    @Test
    void upstreamWithAnEmptyCapaListStillGetsTheRfc1939Basics() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")))
                .capabilities(List.of());
        // Before login only an early connection (apop: true) shows the server's own list.
        proxy = ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            List<String> capabilities = capa(client);
            assertThat(capabilities).contains("USER", "STLS", "PIPELINING", "IMPLEMENTATION popbridge")
                    .noneMatch(line -> line.startsWith("SASL"));
        }
    }

    @Test
    void listenerRequiringTlsHidesUserAndSaslUntilStls() throws Exception {
        startRequiringTls();
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            List<String> beforeTls = capa(client);
            assertThat(beforeTls).contains("STLS", "TOP", "UIDL", "PIPELINING", "IMPLEMENTATION popbridge")
                    .doesNotContain("USER")
                    .noneMatch(line -> line.startsWith("SASL"));

            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(proxy.certificate());
            List<String> afterTls = capa(client);
            assertThat(afterTls).contains("USER", "SASL PLAIN LOGIN", "TOP", "UIDL", "IMPLEMENTATION popbridge")
                    .doesNotContain("STLS");
        }
    }
}
