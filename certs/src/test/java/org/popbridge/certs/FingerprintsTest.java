package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {

    private static X509Certificate cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestPki.selfSigned(TestPki.rsaKeys(), "fingerprint.example", Instant.now().plus(Duration.ofDays(30)));
    }

    @Test
    void fingerprintIs32UpperCaseHexPairsSeparatedByColons() {
        assertThat(Fingerprints.sha256(cert)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void sha1FingerprintIs20UpperCaseHexPairsOfTheDerEncodingsDigest() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(cert.getEncoded());

        assertThat(Fingerprints.sha1(cert)).matches("([0-9A-F]{2}:){19}[0-9A-F]{2}")
                .startsWith(String.format("%02X:", digest[0] & 0xff))
                .endsWith(String.format(":%02X", digest[19] & 0xff));
    }

    @Test
    void fingerprintIsTheSha256OfTheDerEncoding() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        List<String> pairs = new ArrayList<>();
        for (byte b : digest) {
            pairs.add(String.format("%02X", b & 0xff));
        }

        assertThat(Fingerprints.sha256(cert)).isEqualTo(String.join(":", pairs));
    }

    @Test
    void fingerprintMatchesWhatOpensslPrints(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cert.pem");
        PemFiles.writeCertificates(file, List.of(cert));
        String opensslOutput;
        try {
            Process openssl = new ProcessBuilder("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                    file.toString()).redirectErrorStream(true).start();
            opensslOutput = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assumeTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed");
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed");
            return;
        }

        // openssl 1.x prints "SHA256 Fingerprint=...", 3.x "sha256 Fingerprint=...".
        assertThat(opensslOutput.substring(opensslOutput.indexOf('=') + 1)).isEqualTo(Fingerprints.sha256(cert));
    }

    @Test
    void credentialsReportTheLeafFingerprint() throws Exception {
        var keys = TestPki.rsaKeys();
        X509Certificate leaf = TestPki.selfSigned(keys, "leaf.example", Instant.now().plus(Duration.ofDays(30)));
        ServerCredentials credentials = new ServerCredentials(keys.getPrivate(), List.of(leaf, cert));

        assertThat(credentials.sha256Fingerprint()).isEqualTo(Fingerprints.sha256(leaf));
    }
}
