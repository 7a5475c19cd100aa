package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.certs.Fingerprints;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.SniCertificateConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TestCertificates;

/** Replaced certificate files serve new connections without a restart; broken ones are refused. */
class CertificateReloadTest {

    /** Long enough for any poll on a loaded machine; the tests wait for an outcome, not a time. */
    private static final long PATIENCE_MILLIS = 15_000;

    @TempDir
    Path dir;

    private TestCertificates pki;
    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;
    private LogCapture reloadLog;
    private ServerCredentials original;
    private ServerCredentials originalOrg;

    @BeforeEach
    void start() throws Exception {
        pki = TestCertificates.newCa();
        original = pki.issue("mail.example.test");
        originalOrg = pki.issue("mail.example.org");
        Path[] files = TestCertificates.write(dir, "server", original);
        Path[] org = TestCertificates.write(dir, "org", originalOrg);
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: hi\r\n\r\nbody\r\n")));
        reloadLog = LogCapture.of(CertificateReload.class);
        proxy = ProxyFixture.start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3s://127.0.0.1:0"), ListenerConfig.of("pop3://127.0.0.1:0", false)))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstream.port()))
                .withTls(new TlsConfig(files[0], files[1])
                        .withSni(List.of(new SniCertificateConfig(List.of("mail.example.org"), org[0], org[1])))
                        .withReloadInterval(Duration.ofMillis(50)))
                .withStateDir(dir.resolve("state")));
    }

    @AfterEach
    void stop() throws Exception {
        reloadLog.close();
        proxy.close();
        upstream.close();
    }

    @Test
    void replacedFilesServeNewConnectionsWhileOpenOnesGoOn() throws Exception {
        assertThat(servedByImplicitTls(null)).isEqualTo(original.sha256Fingerprint());
        try (RawPop3Client open = RawPop3Client.tls(proxy.address(0).getPort(), client(), socket -> { })) {
            RawPop3Client.expectOk(open.readLine());
            ServerCredentials renewed = pki.issue("mail.example.test");

            TestCertificates.write(dir, "server", renewed);

            assertThat(awaitImplicitTls(null, renewed.sha256Fingerprint())).isEqualTo(renewed.sha256Fingerprint());
            assertThat(servedAfterStls()).isEqualTo(renewed.sha256Fingerprint());
            assertThat(servedByImplicitTls("mail.example.org")).isEqualTo(originalOrg.sha256Fingerprint());
            open.login("alice", "secret");
            assertThat(open.command("STAT")).startsWith("+OK 1 ");
        }
        assertThat(reloadLog.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
                .startsWith("reloaded certificate " + dir.resolve("server.crt")));
        // Both certificates are valid for two days: a day and some hours left.
        assertThat(proxy.server().certificateExpiry().snapshot())
                .containsOnlyKeys(dir.resolve("server.crt").toString(), dir.resolve("org.crt").toString())
                .allSatisfy((label, days) -> assertThat(days).isEqualTo(1L));
    }

    @Test
    void anSniCertificateIsReloadedOnItsOwn() throws Exception {
        ServerCredentials renewed = pki.issue("mail.example.org");

        TestCertificates.write(dir, "org", renewed);

        assertThat(awaitImplicitTls("mail.example.org", renewed.sha256Fingerprint()))
                .isEqualTo(renewed.sha256Fingerprint());
        assertThat(servedByImplicitTls(null)).isEqualTo(original.sha256Fingerprint());
    }

    @Test
    void aKeyThatDoesNotMatchIsRefusedLoggedAndTheOldCertificateStays() throws Exception {
        ServerCredentials renewed = pki.issue("mail.example.test");
        ServerCredentials stranger = pki.issue("stranger.example.test");

        TestCertificates.write(dir, "server", new ServerCredentials(stranger.key(), renewed.chain()));

        ILoggingEvent refusal = reloadLog.await(event -> event.getLevel() == Level.ERROR, PATIENCE_MILLIS);
        assertThat(refusal.getFormattedMessage())
                .startsWith("certificate " + dir.resolve("server.crt") + " (default) NOT reloaded: ")
                .contains(dir.resolve("server.key").toString(), "does not match")
                .endsWith("still serving SHA-256 " + original.sha256Fingerprint() + "; trying again at the next poll");
        assertThat(servedByImplicitTls(null)).isEqualTo(original.sha256Fingerprint());
        assertThat(servedAfterStls()).isEqualTo(original.sha256Fingerprint());

        // Putting the right key next to the new certificate completes the replacement.
        TestCertificates.write(dir, "server", renewed);
        assertThat(awaitImplicitTls(null, renewed.sha256Fingerprint())).isEqualTo(renewed.sha256Fingerprint());
    }

    @Test
    void anUnreadableCertificateIsRefusedLoggedOnceAndTheOldCertificateStays() throws Exception {
        Files.writeString(dir.resolve("server.crt"), "this is not a certificate\n");

        ILoggingEvent refusal = reloadLog.await(event -> event.getLevel() == Level.ERROR, PATIENCE_MILLIS);
        assertThat(refusal.getFormattedMessage()).contains("NOT reloaded", dir.resolve("server.crt").toString());
        assertThat(servedByImplicitTls(null)).isEqualTo(original.sha256Fingerprint());
        // Several more polls of the same broken file: still one ERROR.
        Thread.sleep(300);
        assertThat(reloadLog.events()).filteredOn(event -> event.getLevel() == Level.ERROR).hasSize(1);
    }

    /** A fresh client each time, so that no connection resumes an earlier session (and its certificate). */
    private SSLContext client() throws Exception {
        return pki.clientContext(Security.getProvider("SunJSSE"));
    }

    private String servedByImplicitTls(String serverName) throws Exception {
        try (RawPop3Client session = RawPop3Client.tls(proxy.address(0).getPort(), client(), socket -> {
            if (serverName != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                socket.setSSLParameters(parameters);
            }
        })) {
            return Fingerprints.sha256(session.peerCertificate());
        }
    }

    private String servedAfterStls() throws Exception {
        try (RawPop3Client session = RawPop3Client.plain(proxy.address(1).getPort())) {
            RawPop3Client.expectOk(session.readLine());
            RawPop3Client.expectOk(session.command("STLS"));
            session.startTls(client(), socket -> { });
            return Fingerprints.sha256(session.peerCertificate());
        }
    }

    /** New connections until one is served {@code expected} (bounded); returns the last one seen. */
    private String awaitImplicitTls(String serverName, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        String served = servedByImplicitTls(serverName);
        while (!served.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(25);
            served = servedByImplicitTls(serverName);
        }
        return served;
    }
}
