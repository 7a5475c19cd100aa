package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server identities from PKCS#12 files made by the JDK's KeyStore and by openssl pkcs12 -export. */
class Pkcs12FilesTest {

    private static final char[] PASSWORD = "p12-secret".toCharArray();

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static KeyPair serverKeys;
    private static X509Certificate server;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() throws Exception {
        caKeys = TestPki.rsaKeys();
        ca = TestPki.ca(caKeys, "P12 Test CA");
        serverKeys = TestPki.rsaKeys();
        server = TestPki.server(serverKeys, "mail.example.test", ca, caKeys.getPrivate());
    }

    @Test
    void singleKeyEntryLoadsWithItsChainLeafFirst() throws Exception {
        Path p12 = jdkPkcs12("server.p12", List.of(new Entry("server", serverKeys, server, ca)), List.of());

        ServerCredentials loaded = Pkcs12Files.loadCredentials(p12, PASSWORD);

        assertThat(loaded.chain()).containsExactly(server, ca);
        assertThat(loaded.key().getEncoded()).isEqualTo(serverKeys.getPrivate().getEncoded());
    }

    @Test
    void wrongPasswordIsReportedNamingTheFileButNotThePassword() throws Exception {
        Path p12 = jdkPkcs12("server.p12", List.of(new Entry("server", serverKeys, server, ca)), List.of());

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(p12, "guess".toCharArray()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageStartingWith("wrong password for PKCS#12 file " + p12)
                .satisfies(e -> assertThat(EncryptedKeysTest.wholeChain(e)).doesNotContain("guess", "p12-secret"));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.p12");

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(missing, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("PKCS#12 file " + missing + " does not exist");
    }

    @Test
    void fileWithOnlyCertificatesHasNoKeyEntry() throws Exception {
        Path p12 = jdkPkcs12("trust.p12", List.of(), List.of(ca, server));

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(p12, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageContaining("holds no private key entry (2 certificate-only entries)");
    }

    @Test
    void severalKeyEntriesAreCountedAndNamed() throws Exception {
        KeyPair otherKeys = TestPki.rsaKeys();
        X509Certificate other = TestPki.server(otherKeys, "other.example.test", ca, caKeys.getPrivate());
        Path p12 = jdkPkcs12("both.p12", List.of(new Entry("mail", serverKeys, server, ca),
                new Entry("webmail", otherKeys, other, ca)), List.of());

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(p12, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageContaining("holds 2 private key entries ('mail', 'webmail'); it must hold exactly one");
    }

    @Test
    void pemFileGivenAsPkcs12GetsAHint() throws Exception {
        Path pem = TestPki.writePem(dir.resolve("server.p12"), server, serverKeys.getPrivate());

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(pem, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("is PEM text, not PKCS#12");
    }

    @Test
    void garbageIsNotAReadablePkcs12File() throws Exception {
        Path garbage = Files.write(dir.resolve("server.p12"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x05, 0x00});

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(garbage, PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(garbage + " is not a readable PKCS#12 file");
    }

    @Test
    void expiredCertificateStillLoadsSoTheProxyCanWarn() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofDays(400));
        X509Certificate expired = TestPki.selfSigned(serverKeys, "expired.example", longAgo,
                longAgo.plus(Duration.ofDays(365)));
        Path p12 = jdkPkcs12("expired.p12", List.of(new Entry("server", serverKeys, expired)), List.of());

        ServerCredentials loaded = Pkcs12Files.loadCredentials(p12, PASSWORD);

        assertThat(CertificateValidity.of(loaded.leaf(), Instant.now()).expired()).isTrue();
    }

    // Files as openssl pkcs12 -export writes them; skipped without openssl.

    @ParameterizedTest
    @ValueSource(strings = {"default", "legacy-3des"})
    void opensslExportWithChainLoadsLeafFirst(String flavour) throws Exception {
        writePemFiles();
        List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-in", "server.crt",
                "-inkey", "server.key", "-certfile", "ca.crt", "-name", "mail", "-passout", "pass:p12-secret",
                "-out", "server.p12"));
        if (flavour.equals("legacy-3des")) {
            // What Windows XP-era tools import: 3DES bags and a SHA-1 MAC.
            args.addAll(List.of("-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"));
        }
        OpensslCommand.run(dir, args.toArray(String[]::new));

        ServerCredentials loaded = Pkcs12Files.loadCredentials(dir.resolve("server.p12"), PASSWORD);

        assertThat(loaded.chain()).containsExactly(server, ca);
        assertThat(loaded.sha256Fingerprint()).isEqualTo(OpensslCommand.fingerprint(dir, "server.crt", "sha256"));
    }

    @Test
    void opensslExportWithWrongPasswordIsReported() throws Exception {
        writePemFiles();
        OpensslCommand.run(dir, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key",
                "-passout", "pass:p12-secret", "-out", "server.p12");

        assertThatThrownBy(() -> Pkcs12Files.loadCredentials(dir.resolve("server.p12"), "nope".toCharArray()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageStartingWith("wrong password for PKCS#12 file " + dir.resolve("server.p12"));
    }

    @Test
    void opensslExportWithEmptyPasswordLoadsWithEmptyOrNoPassword() throws Exception {
        writePemFiles();
        OpensslCommand.run(dir, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key",
                "-passout", "pass:", "-out", "server.p12");

        assertThat(Pkcs12Files.loadCredentials(dir.resolve("server.p12"), new char[0]).leaf()).isEqualTo(server);
        assertThat(Pkcs12Files.loadCredentials(dir.resolve("server.p12"), null).leaf()).isEqualTo(server);
    }

    private void writePemFiles() throws Exception {
        PemFiles.writeCertificates(dir.resolve("server.crt"), List.of(server));
        PemFiles.writeCertificates(dir.resolve("ca.crt"), List.of(ca));
        PemFiles.writePrivateKey(dir.resolve("server.key"), serverKeys.getPrivate());
    }

    private record Entry(String alias, KeyPair keys, X509Certificate... chain) {
    }

    private Path jdkPkcs12(String name, List<Entry> keyEntries, List<X509Certificate> certificateEntries)
            throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (Entry entry : keyEntries) {
            store.setKeyEntry(entry.alias(), entry.keys().getPrivate(), PASSWORD, (Certificate[]) entry.chain());
        }
        int n = 0;
        for (X509Certificate cert : certificateEntries) {
            store.setCertificateEntry("cert-" + n++, cert);
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }
}
