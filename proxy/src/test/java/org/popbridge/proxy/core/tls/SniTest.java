package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.popbridge.certs.Fingerprints;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.ListenerTlsConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.SniCertificateConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/** Several certificates on one listener, chosen by the server name the client sends (RFC 6066 section 3). */
class SniTest {

    @TempDir
    static Path dir;

    private static TestCertificates pki;
    private static ScriptedPop3Server upstream;
    private static ProxyFixture proxy;
    private static String defaultCertificate;
    private static String exampleCom;
    private static String exampleOrg;

    @BeforeAll
    static void start() throws Exception {
        pki = TestCertificates.newCa();
        ServerCredentials fallback = pki.issue("mail.default.test");
        ServerCredentials com = pki.issue("mail.example.com");
        ServerCredentials org = pki.issue("*.example.org");
        Path[] fallbackFiles = TestCertificates.write(dir, "default", fallback);
        Path[] comFiles = TestCertificates.write(dir, "com", com);
        Path[] orgFiles = TestCertificates.write(dir, "org", org);
        defaultCertificate = fallback.sha256Fingerprint();
        exampleCom = com.sha256Fingerprint();
        exampleOrg = org.sha256Fingerprint();
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")));
        ListenerTlsConfig legacy = ListenerTlsConfig.of("legacy", null, null);
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(
                        ListenerConfig.parse("pop3s://127.0.0.1:0"),
                        ListenerConfig.of("pop3://127.0.0.1:0", false),
                        ListenerConfig.parse("pop3s://127.0.0.1:0").withTls(legacy)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withTls(new TlsConfig(fallbackFiles[0], fallbackFiles[1]).withSni(List.of(
                        new SniCertificateConfig(List.of("mail.example.com"), comFiles[0], comFiles[1]),
                        new SniCertificateConfig(List.of("*.example.org"), orgFiles[0], orgFiles[1]))))
                .withStateDir(dir.resolve("state")));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest(name = "implicit TLS, server name {0}")
    @CsvSource({"mail.example.com, com", "pop.example.org, org", "MAIL.EXAMPLE.ORG, org", "other.example.net, default",
            "'', default"})
    void implicitTlsServesTheCertificateForTheName(String serverName, String expected) throws Exception {
        try (RawPop3Client session = RawPop3Client.tls(proxy.address(0).getPort(), client(), naming(serverName))) {
            assertThat(Fingerprints.sha256(session.peerCertificate())).isEqualTo(fingerprint(expected));
            RawPop3Client.expectOk(session.readLine());
            session.login("alice", "secret");
        }
    }

    @ParameterizedTest(name = "STLS, server name {0}")
    @CsvSource({"mail.example.com, com", "imap.example.org, org", "'', default"})
    void stlsServesTheCertificateForTheName(String serverName, String expected) throws Exception {
        try (RawPop3Client session = RawPop3Client.plain(proxy.address(1).getPort())) {
            RawPop3Client.expectOk(session.readLine());
            RawPop3Client.expectOk(session.command("STLS"));
            session.startTls(client(), naming(serverName));
            assertThat(Fingerprints.sha256(session.peerCertificate())).isEqualTo(fingerprint(expected));
            session.login("alice", "secret");
            assertThat(session.command("STAT")).startsWith("+OK 1 ");
        }
    }

    @ParameterizedTest(name = "legacy listener, TLSv1, server name {0}")
    @CsvSource({"mail.example.com, com", "pop.example.org, org", "'', default"})
    void aLegacyListenerChoosesByNameToo(String serverName, String expected) throws Exception {
        try (RawPop3Client session = RawPop3Client.tls(proxy.address(2).getPort(), pki.clientContext(LegacyJsse.provider()), socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1"});
            naming(serverName).accept(socket);
        })) {
            assertThat(session.protocol()).isEqualTo("TLSv1");
            assertThat(Fingerprints.sha256(session.peerCertificate())).isEqualTo(fingerprint(expected));
        }
    }

    /**
     * A fresh client each time: a JDK client resumes its last session with the same host and
     * port, and then sends that session's server name instead of the one asked for.
     */
    private static SSLContext client() throws Exception {
        return pki.clientContext(Security.getProvider("SunJSSE"));
    }

    /** Sets the SNI name; an empty name means none is sent (what most old clients do). */
    private static Consumer<SSLSocket> naming(String serverName) {
        return socket -> {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName.isEmpty() ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
        };
    }

    private static String fingerprint(String which) {
        return switch (which) {
            case "com" -> exampleCom;
            case "org" -> exampleOrg;
            default -> defaultCertificate;
        };
    }
}
