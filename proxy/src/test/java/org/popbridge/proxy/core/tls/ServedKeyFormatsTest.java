package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.certs.Fingerprints;
import org.popbridge.certs.IssuedCertificate;
import org.popbridge.certs.LocalCa;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** The served certificate from an encrypted PEM key or a PKCS#12 file, decrypted with the configured password. */
class ServedKeyFormatsTest {

    private static final String PASSWORD = "Correct-Horse-7";

    @TempDir
    Path dir;

    @Test
    void anEncryptedPemKeyIsServedWithItsPassword() throws Exception {
        IssuedCertificate issued = issue();
        Path encrypted = dir.resolve("encrypted.key");
        JcaPKCS8Generator generator = new JcaPKCS8Generator(issued.credentials().key(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider())
                        .setPassword(PASSWORD.toCharArray()).build());
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(generator);
        }
        Files.writeString(encrypted, pem.toString());

        TlsConfig tls = new TlsConfig(issued.certFile(), encrypted, new KeyPassword(PASSWORD, null), List.of(),
                java.time.Duration.ofSeconds(10));
        assertThat(servedFingerprint(tls)).isEqualTo(Fingerprints.sha256(issued.credentials().leaf()));
    }

    @Test
    void aPkcs12FileIsServedWithItsPassword() throws Exception {
        IssuedCertificate issued = issue();
        Path p12 = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", issued.credentials().key(), PASSWORD.toCharArray(), issued.credentials().chainArray());
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, PASSWORD.toCharArray());
        }

        TlsConfig tls = new TlsConfig(p12, null, new KeyPassword(PASSWORD, null), List.of(),
                java.time.Duration.ofSeconds(10));
        assertThat(servedFingerprint(tls)).isEqualTo(Fingerprints.sha256(issued.credentials().leaf()));
    }

    @Test
    void aWrongPasswordStopsTheStartWithAMessageThatNamesTheFileAndNotThePassword() throws Exception {
        IssuedCertificate issued = issue();
        Path p12 = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", issued.credentials().key(), PASSWORD.toCharArray(), issued.credentials().chainArray());
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, PASSWORD.toCharArray());
        }
        TlsConfig tls = new TlsConfig(p12, null, new KeyPassword("Wrong-Battery-9", null), List.of(),
                java.time.Duration.ofSeconds(10));
        assertThatThrownBy(() -> ProxyFixture.start(config(tls, 1)).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageNotContaining("Wrong-Battery-9")
                .hasMessageNotContaining(PASSWORD);
    }

    private IssuedCertificate issue() throws Exception {
        return LocalCa.init(dir.resolve("ca-state"))
                .issue(List.of("localhost"), List.of("127.0.0.1"), java.time.Duration.ofDays(30), dir);
    }

    private String servedFingerprint(TlsConfig tls) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret",
                        List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
                ProxyFixture proxy = ProxyFixture.start(config(tls, upstream.port()));
                RawPop3Client client = RawPop3Client.tls(proxy.address(0).getPort(),
                        dir.resolve("ca-state").resolve(LocalCa.DIRECTORY).resolve(LocalCa.CERT_FILE))) {
            assertThat(client.readLine()).startsWith("+OK");
            return Fingerprints.sha256((X509Certificate) client.peerCertificates()[0]);
        }
    }

    private PopbridgeConfig config(TlsConfig tls, int upstreamPort) {
        return PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstreamPort))
                .withTls(tls)
                .withStateDir(dir.resolve("state"));
    }
}
