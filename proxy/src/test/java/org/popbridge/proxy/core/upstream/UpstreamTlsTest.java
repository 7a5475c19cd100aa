package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.ListenerTlsConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.tls.LegacyJsse;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/** Invariant 7: the upstream's certificate chain and host name are verified unless switched off. */
class UpstreamTlsTest {

    private static final String UNAVAILABLE = "-ERR [SYS/TEMP] Mail server unavailable, try again later";

    @TempDir
    Path dir;

    @Test
    void implicitTlsUpstreamTrustedThroughTheExtraCa() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        try (ScriptedPop3Server upstream = mailServer().implicitTls(pki.serverContext("localhost", "127.0.0.1"))) {
            UpstreamConfig route = UpstreamConfig.parse("pop3s://localhost:" + upstream.port())
                    .withCa(pki.writeCa(dir.resolve("ca.pem")));
            assertThat(retrieveThrough(route)).isEqualTo("Subject: hello\r\n\r\nbody\r\n.\r\n");
        }
    }

    @Test
    void upstreamSignedByAnUnknownCaIsRefused() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        try (ScriptedPop3Server upstream = mailServer().implicitTls(pki.serverContext("localhost"))) {
            assertThat(loginReplyThrough(UpstreamConfig.parse("pop3s://localhost:" + upstream.port()))).isEqualTo(UNAVAILABLE);
            assertThat(upstream.commandsSeen()).isEmpty();
        }
    }

    @Test
    void upstreamWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        try (ScriptedPop3Server upstream = mailServer().implicitTls(pki.serverContext("mail.example.test"))) {
            UpstreamConfig route = UpstreamConfig.parse("pop3s://localhost:" + upstream.port())
                    .withCa(pki.writeCa(dir.resolve("ca.pem")));
            assertThat(loginReplyThrough(route)).isEqualTo(UNAVAILABLE);
            assertThat(upstream.commandsSeen()).isEmpty();
        }
    }

    @Test
    void insecureSwitchAcceptsAnyCertificate() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        try (ScriptedPop3Server upstream = mailServer().implicitTls(pki.serverContext("mail.example.test"))) {
            UpstreamConfig route = UpstreamConfig.parse("pop3s://localhost:" + upstream.port()).withInsecure(true);
            assertThat(retrieveThrough(route)).isEqualTo("Subject: hello\r\n\r\nbody\r\n.\r\n");
        }
    }

    @Test
    void stlsUpstreamUpgradesBeforeAnyCredentialIsSent() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        try (ScriptedPop3Server upstream = mailServer().offerStls(pki.serverContext("localhost"))) {
            UpstreamConfig route = UpstreamConfig.parse("pop3+stls://localhost:" + upstream.port())
                    .withCa(pki.writeCa(dir.resolve("ca.pem")));
            assertThat(retrieveThrough(route)).isEqualTo("Subject: hello\r\n\r\nbody\r\n.\r\n");
            assertThat(upstream.commandsSeen()).startsWith("STLS", "CAPA", "USER alice");
        }
    }

    @Test
    void stlsUpstreamThatDoesNotOfferStlsIsRefused() throws Exception {
        try (ScriptedPop3Server upstream = mailServer()) {
            assertThat(loginReplyThrough(UpstreamConfig.parse("pop3+stls://localhost:" + upstream.port())))
                    .isEqualTo(UNAVAILABLE);
            assertThat(upstream.commandsSeen()).containsExactly("STLS");
        }
    }

    @Test
    void aLegacyListenerLeavesTheUpstreamSideAtTls12AndVerified() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        PopbridgeConfig legacyListener = PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3s://127.0.0.1:0").withTls(ListenerTlsConfig.of("legacy", null, null))))
                .withStateDir(dir.resolve("state"));
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        // A mail server stuck at TLS 1.1 (BouncyCastle's JSSE can still play one).
        try (ScriptedPop3Server outdated = mailServer()
                .implicitTls(pki.serverContext(LegacyJsse.provider(), "localhost")).tlsProtocols("TLSv1.1");
                ScriptedPop3Server unknownCa = mailServer()
                        .implicitTls(TestCertificates.newCa().serverContext(LegacyJsse.provider(), "localhost"));
                ScriptedPop3Server current = mailServer()
                        .implicitTls(pki.serverContext(LegacyJsse.provider(), "localhost")).tlsProtocols("TLSv1.2")) {
            assertThat(loginReplyOverTls10(legacyListener.withUpstream(
                    UpstreamConfig.parse("pop3s://localhost:" + outdated.port()).withCa(ca)))).isEqualTo(UNAVAILABLE);
            assertThat(loginReplyOverTls10(legacyListener.withUpstream(
                    UpstreamConfig.parse("pop3s://localhost:" + unknownCa.port())))).isEqualTo(UNAVAILABLE);
            assertThat(loginReplyOverTls10(legacyListener.withUpstream(
                    UpstreamConfig.parse("pop3s://localhost:" + current.port()).withCa(ca)))).startsWith("+OK");
            assertThat(outdated.commandsSeen()).isEmpty();
            assertThat(unknownCa.commandsSeen()).isEmpty();
        }
    }

    /**
     * What a TLS 1.0 client on the proxy's first listener (a legacy one) gets for its login: the
     * server is contacted only then (invariant 8), so that is where its TLS is judged.
     */
    private String loginReplyOverTls10(PopbridgeConfig config) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(config);
                RawPop3Client client = RawPop3Client.tls(proxy.address(0).getPort(), trustingAnything(),
                        socket -> socket.setEnabledProtocols(new String[] {"TLSv1"}))) {
            assertThat(client.protocol()).isEqualTo("TLSv1");
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            return client.command("PASS secret");
        }
    }

    private static SSLContext trustingAnything() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS", LegacyJsse.provider());
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static ScriptedPop3Server mailServer() throws Exception {
        return new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: hello\r\n\r\nbody\r\n")));
    }

    /** The reply to a login through the proxy, after which the connection must be closed. */
    private String loginReplyThrough(UpstreamConfig route) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(config(route));
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            String reply = client.command("PASS secret");
            assertThat(client.isClosedByPeer()).isTrue();
            return reply;
        }
    }

    private String retrieveThrough(UpstreamConfig route) throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(config(route));
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("RETR 1"));
            return new String(client.readBody(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private PopbridgeConfig config(UpstreamConfig route) {
        return PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0")))
                .withUpstream(route)
                .withStateDir(dir.resolve("state"));
    }
}
