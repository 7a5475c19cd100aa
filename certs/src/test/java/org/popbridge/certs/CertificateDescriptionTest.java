package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateDescriptionTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static ServerCredentials selfSigned;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificate() {
        selfSigned = SelfSignedIssuer.issue(List.of("mail.example.test", "192.0.2.10"), NOW);
    }

    @Test
    void describesNamesDatesKeyFingerprintsAndCaFlag() {
        X509Certificate cert = selfSigned.leaf();

        String text = CertificateDescription.of(cert, NOW);

        assertThat(text.lines()).containsExactly(
                "Subject:      CN=popbridge self-signed",
                "Issuer:       CN=popbridge self-signed",
                "Serial:       " + cert.getSerialNumber().toString(16).toUpperCase(),
                "DNS names:    mail.example.test, localhost",
                "IP addresses: 192.0.2.10, 127.0.0.1, 0:0:0:0:0:0:0:1",
                "Not before:   " + NOW.minus(Duration.ofHours(1)),
                "Not after:    " + NOW.plus(Duration.ofDays(825)) + " (825 days left)",
                "Key:          RSA 2048 bits",
                "SHA-256:      " + Fingerprints.sha256(cert),
                "SHA-1:        " + Fingerprints.sha1(cert),
                "CA:           no");
    }

    @Test
    void fingerprintsAreWhatOpensslPrints() throws Exception {
        PemFiles.writeCertificates(dir.resolve("server.crt"), List.of(selfSigned.leaf()));

        String text = CertificateDescription.of(selfSigned.leaf());

        assertThat(text).contains("SHA-256:      " + OpensslCommand.fingerprint(dir, "server.crt", "sha256") + "\n",
                "SHA-1:        " + OpensslCommand.fingerprint(dir, "server.crt", "sha1") + "\n");
    }

    @Test
    void expiredCertificateSaysSoWithDaysSinceExpiry() throws Exception {
        X509Certificate expired = TestPki.selfSigned(TestPki.rsaKeys(), "expired.example",
                NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(10)).minus(Duration.ofHours(5)));

        assertThat(CertificateDescription.of(expired, NOW)).contains("(EXPIRED 10 days ago)");
        assertThat(CertificateDescription.of(expired, NOW.minus(Duration.ofDays(9)))).contains("(EXPIRED 1 day ago)");
        assertThat(CertificateDescription.of(expired, NOW.minus(Duration.ofDays(10))))
                .contains("(EXPIRED less than a day ago)");
    }

    @Test
    void lastDayAndNotYetValidAreShown() throws Exception {
        X509Certificate cert = TestPki.selfSigned(TestPki.rsaKeys(), "window.example", NOW,
                NOW.plus(Duration.ofDays(2)));

        assertThat(CertificateDescription.of(cert, NOW.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))))
                .contains("(less than a day left)");
        assertThat(CertificateDescription.of(cert, NOW.plus(Duration.ofDays(1)).minus(Duration.ofHours(1))))
                .contains("(1 day left)");
        assertThat(CertificateDescription.of(cert, NOW.minus(Duration.ofMinutes(1))))
                .contains("Not before:   " + NOW + " (NOT YET VALID)");
    }

    @Test
    void caCertificatesSayYesAndTheirPathLength() throws Exception {
        X509Certificate unlimited = TestPki.ca(TestPki.rsaKeys(), "Unlimited CA");
        X509Certificate localCa = LocalCaCertificates.ca("popbridge local CA test", NOW).leaf();

        assertThat(CertificateDescription.of(unlimited)).contains("CA:           yes\n");
        assertThat(CertificateDescription.of(localCa)).contains("CA:           yes (path length 0)\n",
                "Key:          RSA 3072 bits\n", "DNS names:    (none)\n", "IP addresses: (none)\n");
    }

    @Test
    void ecKeyIsShownWithItsSize() throws Exception {
        X509Certificate ec = TestPki.selfSigned(TestPki.ecKeys(), "ec.example", NOW.plus(Duration.ofDays(9)));

        assertThat(CertificateDescription.of(ec)).contains("Key:          EC 256 bits\n");
    }

    @Test
    void pemChainIsDescribedCertificateByCertificateInFileOrder() throws Exception {
        KeyPair caKeys = TestPki.rsaKeys();
        X509Certificate ca = TestPki.ca(caKeys, "Chain CA");
        X509Certificate leaf = TestPki.server(TestPki.rsaKeys(), "chain.example.test", ca, caKeys.getPrivate());
        Path chain = dir.resolve("chain.crt");
        PemFiles.writeCertificates(chain, List.of(leaf, ca));

        String text = CertificateDescription.ofFile(chain);

        assertThat(text).startsWith(chain + ": 2 certificates\n");
        assertThat(text).containsSubsequence("Certificate 1 of 2\n", "  Subject:      CN=chain.example.test\n",
                "  DNS names:    chain.example.test\n", "Certificate 2 of 2\n", "  Subject:      CN=Chain CA\n",
                "  CA:           yes\n");
    }

    @Test
    void pkcs12FileIsDescribedWithItsPassword() throws Exception {
        KeyPair caKeys = TestPki.rsaKeys();
        X509Certificate ca = TestPki.ca(caKeys, "P12 CA");
        KeyPair serverKeys = TestPki.rsaKeys();
        X509Certificate leaf = TestPki.server(serverKeys, "p12.example.test", ca, caKeys.getPrivate());
        Path p12 = dir.resolve("server.pfx");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("mail", serverKeys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {leaf, ca});
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, "pw".toCharArray());
        }

        String text = CertificateDescription.ofFile(p12, "pw".toCharArray());

        assertThat(text).startsWith(p12 + ": 2 certificates\n");
        assertThat(text).containsSubsequence("Certificate 1 of 2 (entry 'mail', with private key)\n",
                "  Subject:      CN=p12.example.test\n", "  SHA-256:      " + Fingerprints.sha256(leaf) + "\n",
                "Certificate 2 of 2 (entry 'mail', chain)\n", "  Subject:      CN=P12 CA\n");
        assertThatThrownBy(() -> CertificateDescription.ofFile(p12, "wrong".toCharArray()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageStartingWith("wrong password for PKCS#12 file " + p12);
    }

    @Test
    void fileWithoutCertificatesIsAnError() throws Exception {
        Path key = TestPki.writePem(dir.resolve("server.key"), TestPki.rsaKeys().getPrivate());

        assertThatThrownBy(() -> CertificateDescription.ofFile(key))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Certificate file " + key + " contains no PEM certificate (found: private key)");
    }
}
