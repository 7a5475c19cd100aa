package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    private static final List<String> HOSTS = List.of("mail.example.org", "192.0.2.10", "2001:db8::25");

    @TempDir
    Path dir;

    @Test
    void firstCallCreatesCertificateAndOwnerOnlyKey() throws Exception {
        Path stateDir = dir.resolve("state/nested");

        SelfSignedCertificate.Generated generated = SelfSignedCertificate.loadOrCreate(stateDir, HOSTS);

        assertThat(generated.created()).isTrue();
        assertThat(generated.certFile()).isEqualTo(stateDir.resolve("self-signed.crt"));
        assertThat(Files.readString(stateDir.resolve("self-signed.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(stateDir.resolve("self-signed.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PemFiles.loadCredentials(generated.certFile(), stateDir.resolve("self-signed.key")).leaf())
                .isEqualTo(generated.credentials().leaf());
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("self-signed.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void secondCallReusesTheStoredCertificate() throws Exception {
        SelfSignedCertificate.Generated first = SelfSignedCertificate.loadOrCreate(dir, HOSTS);

        SelfSignedCertificate.Generated second = SelfSignedCertificate.loadOrCreate(dir, HOSTS);

        assertThat(second.created()).isFalse();
        assertThat(second.credentials().sha256Fingerprint()).isEqualTo(first.credentials().sha256Fingerprint());
        assertThat(second.credentials().key().getEncoded()).isEqualTo(first.credentials().key().getEncoded());
    }

    @Test
    void certificateNamesRequestedHostsAndLoopback() throws Exception {
        X509Certificate cert = SelfSignedCertificate.loadOrCreate(dir, HOSTS).credentials().leaf();

        List<String> dnsNames = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            if ((Integer) san.get(0) == 2) {
                dnsNames.add((String) san.get(1));
            } else if ((Integer) san.get(0) == 7) {
                addresses.add(InetAddress.getByName((String) san.get(1)));
            }
        }

        assertThat(dnsNames).containsExactly("mail.example.org", "localhost");
        assertThat(addresses).containsExactlyInAnyOrder(InetAddress.getByName("192.0.2.10"),
                InetAddress.getByName("2001:db8::25"), InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("::1"));
    }

    @Test
    void certificateIsAnRsaServerCertificateThatOldClientsAccept() throws Exception {
        Instant before = Instant.now();

        X509Certificate cert = SelfSignedCertificate.loadOrCreate(dir, List.of()).credentials().leaf();
        Instant after = Instant.now();

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=popbridge self-signed");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getKeyUsage()).containsExactly(true, false, true, false, false, false, false, false, false);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        // X.509 times have whole seconds, hence the one-second slack.
        assertThat(cert.getNotBefore().toInstant())
                .isBetween(before.minus(Duration.ofHours(1)).minusSeconds(1), after.minus(Duration.ofHours(1)));
        assertThat(cert.getNotAfter().toInstant())
                .isBetween(before.plus(Duration.ofDays(825)).minusSeconds(1), after.plus(Duration.ofDays(825)));
        cert.verify(cert.getPublicKey());
    }

    @Test
    void certificateExpiringWithin30DaysIsReplaced() throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        X509Certificate expiring = TestPki.selfSigned(keys, "old", Instant.now().plus(Duration.ofDays(29)));
        PemFiles.writeCertificates(dir.resolve("self-signed.crt"), List.of(expiring));
        PemFiles.writePrivateKey(dir.resolve("self-signed.key"), keys.getPrivate());

        SelfSignedCertificate.Generated generated = SelfSignedCertificate.loadOrCreate(dir, HOSTS);

        assertThat(generated.created()).isTrue();
        assertThat(generated.credentials().leaf()).isNotEqualTo(expiring);
        assertThat(PemFiles.loadCertificates(dir.resolve("self-signed.crt")))
                .containsExactly(generated.credentials().leaf());
    }

    @Test
    void certificateWithMoreThan30DaysLeftIsKept() throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        X509Certificate stillGood = TestPki.selfSigned(keys, "old", Instant.now().plus(Duration.ofDays(31)));
        PemFiles.writeCertificates(dir.resolve("self-signed.crt"), List.of(stillGood));
        PemFiles.writePrivateKey(dir.resolve("self-signed.key"), keys.getPrivate());

        SelfSignedCertificate.Generated generated = SelfSignedCertificate.loadOrCreate(dir, HOSTS);

        assertThat(generated.created()).isFalse();
        assertThat(generated.credentials().leaf()).isEqualTo(stillGood);
    }

    @Test
    void corruptStoredPairIsReportedAndLeftInPlace() throws Exception {
        SelfSignedCertificate.loadOrCreate(dir, HOSTS);
        Path keyFile = dir.resolve("self-signed.key");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        String certBefore = Files.readString(dir.resolve("self-signed.crt"));

        assertThatThrownBy(() -> SelfSignedCertificate.loadOrCreate(dir, HOSTS))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(keyFile.toString());
        assertThat(Files.readString(keyFile)).contains("AAAA");
        assertThat(Files.readString(dir.resolve("self-signed.crt"))).isEqualTo(certBefore);
    }

    @Test
    void mismatchedStoredPairIsReportedNotReplaced() throws Exception {
        SelfSignedCertificate.loadOrCreate(dir, HOSTS);
        PemFiles.writePrivateKey(dir.resolve("self-signed.key"), TestPki.rsaKeys().getPrivate());

        assertThatThrownBy(() -> SelfSignedCertificate.loadOrCreate(dir, HOSTS))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void lostKeyFileCausesANewPair() throws Exception {
        SelfSignedCertificate.Generated first = SelfSignedCertificate.loadOrCreate(dir, HOSTS);
        Files.delete(dir.resolve("self-signed.key"));

        SelfSignedCertificate.Generated second = SelfSignedCertificate.loadOrCreate(dir, HOSTS);

        assertThat(second.created()).isTrue();
        assertThat(second.credentials().sha256Fingerprint()).isNotEqualTo(first.credentials().sha256Fingerprint());
        assertThat(PemFiles.loadCredentials(second.certFile(), dir.resolve("self-signed.key")).sha256Fingerprint())
                .isEqualTo(second.credentials().sha256Fingerprint());
    }
}
