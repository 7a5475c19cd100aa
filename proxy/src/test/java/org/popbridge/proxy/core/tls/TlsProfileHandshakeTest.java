package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.ListenerTlsConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * Per-listener TLS profiles, handshaking with a client that enables one version at a time.
 * The client is BouncyCastle's JSSE: the JDK's own client refuses TLS 1.0/1.1 in this JVM too.
 */
class TlsProfileHandshakeTest {

    private static final int LEGACY_POP3S = 0;
    private static final int MODERN_POP3S = 1;
    private static final int LEGACY_POP3 = 2;
    private static final int MODERN_POP3 = 3;

    @TempDir
    static Path dir;

    private static ScriptedPop3Server upstream;
    private static ProxyFixture proxy;
    private static SSLContext oldClient;
    private static SSLContext jdkClient;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        Path[] files = TestCertificates.write(dir, "server", pki.issue("mail.example.test"));
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")));
        ListenerTlsConfig legacy = ListenerTlsConfig.of("legacy", null, null);
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(
                        ListenerConfig.parse("pop3s://127.0.0.1:0").withTls(legacy),
                        ListenerConfig.parse("pop3s://127.0.0.1:0"),
                        ListenerConfig.of("pop3://127.0.0.1:0", false).withTls(legacy),
                        ListenerConfig.of("pop3://127.0.0.1:0", false)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withTls(new TlsConfig(files[0], files[1]))
                .withStateDir(dir.resolve("state")));
        oldClient = pki.clientContext(LegacyJsse.provider());
        jdkClient = pki.clientContext(java.security.Security.getProvider("SunJSSE"));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"})
    void aLegacyListenerAcceptsEveryVersion(String version) throws Exception {
        try (RawPop3Client client = implicit(LEGACY_POP3S, version)) {
            assertThat(client.protocol()).isEqualTo(version);
            assertWorks(client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1", "TLSv1.1"})
    void aModernListenerRefusesTls10And11(String version) {
        assertThatThrownBy(() -> implicit(MODERN_POP3S, version)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aModernListenerAcceptsTls12And13(String version) throws Exception {
        try (RawPop3Client client = implicit(MODERN_POP3S, version)) {
            assertThat(client.protocol()).isEqualTo(version);
            assertWorks(client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"})
    void stlsOnALegacyListenerAcceptsEveryVersion(String version) throws Exception {
        try (RawPop3Client client = stls(LEGACY_POP3, version)) {
            assertThat(client.protocol()).isEqualTo(version);
            client.login("alice", "secret");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1", "TLSv1.1"})
    void stlsOnAModernListenerRefusesTls10And11(String version) {
        assertThatThrownBy(() -> stls(MODERN_POP3, version)).isInstanceOf(IOException.class);
    }

    @Test
    void windowsXpsOnlyStrongSuiteWorksOnALegacyListener() throws Exception {
        try (RawPop3Client client = RawPop3Client.tls(proxy.address(LEGACY_POP3S).getPort(), oldClient, socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1"});
            socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_3DES_EDE_CBC_SHA"});
        })) {
            assertThat(client.cipherSuite()).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
            assertWorks(client);
        }
    }

    @Test
    void aModernListenerRefusesTheOldSuitesEvenOverTls12() {
        assertThatThrownBy(() -> RawPop3Client.tls(proxy.address(MODERN_POP3S).getPort(), oldClient, socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_3DES_EDE_CBC_SHA"});
        })).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"})
    void aModernListenerRefusesTls12SuitesWithoutForwardSecrecyOrAead(String suite) {
        // Static RSA key exchange lets whoever gets the key later read recorded sessions; Dovecot refuses it too.
        assertThatThrownBy(() -> tls12(MODERN_POP3S, suite)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> stls12(MODERN_POP3, suite)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"})
    void aModernListenerAcceptsEcdheWithAeadOverTls12(String suite) throws Exception {
        try (RawPop3Client client = tls12(MODERN_POP3S, suite)) {
            assertThat(client.protocol()).isEqualTo("TLSv1.2");
            assertThat(client.cipherSuite()).isEqualTo(suite);
            assertWorks(client);
        }
        try (RawPop3Client client = stls12(MODERN_POP3, suite)) {
            assertThat(client.cipherSuite()).isEqualTo(suite);
            client.login("alice", "secret");
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA256"})
    void aLegacyListenerStillAcceptsStaticRsaOverTls12(String suite) throws Exception {
        try (RawPop3Client client = tls12(LEGACY_POP3S, suite)) {
            assertThat(client.protocol()).isEqualTo("TLSv1.2");
            assertThat(client.cipherSuite()).isEqualTo(suite);
            assertWorks(client);
        }
    }

    @Test
    void theJdksOwnClientStillCannotUseTls10() {
        // The legacy listener would take it; the JVM's constraints stop the JDK's client first.
        assertThatThrownBy(() -> RawPop3Client.tls(proxy.address(LEGACY_POP3S).getPort(), jdkClient,
                socket -> socket.setEnabledProtocols(new String[] {"TLSv1"}))).isInstanceOf(IOException.class);
    }

    private static RawPop3Client implicit(int listener, String version) throws Exception {
        return RawPop3Client.tls(proxy.address(listener).getPort(), oldClient,
                socket -> socket.setEnabledProtocols(new String[] {version}));
    }

    /** Implicit TLS 1.2 with the client offering one suite only. */
    private static RawPop3Client tls12(int listener, String suite) throws Exception {
        return RawPop3Client.tls(proxy.address(listener).getPort(), oldClient, socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {suite});
        });
    }

    /** STLS, then TLS 1.2 with the client offering one suite only. */
    private static RawPop3Client stls12(int listener, String suite) throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.address(listener).getPort());
        try {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(oldClient, socket -> {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {suite});
            });
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private static RawPop3Client stls(int listener, String version) throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.address(listener).getPort());
        try {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("STLS"));
            client.startTls(oldClient, socket -> socket.setEnabledProtocols(new String[] {version}));
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private static void assertWorks(RawPop3Client client) throws IOException {
        RawPop3Client.expectOk(client.readLine());
        client.login("alice", "secret");
        RawPop3Client.expectOk(client.command("RETR 1"));
        assertThat(client.readBody()).isEqualTo(upstream.wireForm(1));
    }
}
