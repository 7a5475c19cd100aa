package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validity at the edges, computed against fixed instants, never against the clock. */
class CertificateValidityTest {

    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2030-12-31T12:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static X509Certificate cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestPki.selfSigned(TestPki.rsaKeys(), "validity.example", NOT_BEFORE, NOT_AFTER);
    }

    @Test
    void periodComesFromTheCertificate() {
        CertificateValidity validity = CertificateValidity.of(cert, NOT_BEFORE.plus(Duration.ofDays(10)));

        assertThat(validity.notBefore()).isEqualTo(NOT_BEFORE);
        assertThat(validity.notAfter()).isEqualTo(NOT_AFTER);
    }

    @Test
    void stillValidAtTheLastSecondAndExpiredOneSecondLater() {
        assertThat(CertificateValidity.of(cert, NOT_AFTER).expired()).isFalse();
        assertThat(CertificateValidity.of(cert, NOT_AFTER.plus(SECOND)).expired()).isTrue();
    }

    @Test
    void notYetValidUntilTheFirstSecond() {
        assertThat(CertificateValidity.of(cert, NOT_BEFORE.minus(SECOND)).notYetValid()).isTrue();
        assertThat(CertificateValidity.of(cert, NOT_BEFORE).notYetValid()).isFalse();
        assertThat(CertificateValidity.of(cert, NOT_BEFORE.minus(SECOND)).expired()).isFalse();
    }

    @Test
    void daysLeftCountsWholeDaysRoundedTowardZero() {
        assertThat(CertificateValidity.of(cert, NOT_AFTER.minus(Duration.ofDays(30))).daysLeft()).isEqualTo(30);
        assertThat(CertificateValidity.of(cert, NOT_AFTER.minus(Duration.ofDays(30)).plus(SECOND)).daysLeft())
                .isEqualTo(29);
        assertThat(CertificateValidity.of(cert, NOT_AFTER.minus(Duration.ofHours(23))).daysLeft()).isZero();
        assertThat(CertificateValidity.of(cert, NOT_AFTER.plus(Duration.ofHours(23))).daysLeft()).isZero();
        assertThat(CertificateValidity.of(cert, NOT_AFTER.plus(Duration.ofDays(3))).daysLeft()).isEqualTo(-3);
    }

    @Test
    void warningStartsExactlyThirtyDaysBeforeExpiry() {
        Instant thirtyDaysBefore = NOT_AFTER.minus(CertificateValidity.WARNING_PERIOD);

        assertThat(CertificateValidity.of(cert, thirtyDaysBefore.minus(SECOND))
                .expiresWithin(CertificateValidity.WARNING_PERIOD)).isFalse();
        assertThat(CertificateValidity.of(cert, thirtyDaysBefore)
                .expiresWithin(CertificateValidity.WARNING_PERIOD)).isTrue();
        assertThat(CertificateValidity.WARNING_PERIOD).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void expiredCertificateExpiresWithinAnyPeriod() {
        CertificateValidity validity = CertificateValidity.of(cert, NOT_AFTER.plus(Duration.ofDays(1)));

        assertThat(validity.expiresWithin(Duration.ZERO)).isTrue();
        assertThat(validity.expiresWithin(Duration.ofDays(30))).isTrue();
    }

    @Test
    void expiredCertificateStillLoadsFromPem(@TempDir Path dir) throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        Instant longAgo = Instant.now().minus(Duration.ofDays(400));
        X509Certificate expired = TestPki.selfSigned(keys, "expired.example", longAgo,
                longAgo.plus(Duration.ofDays(365)));
        Path certFile = TestPki.writePem(dir.resolve("server.crt"), expired);
        Path keyFile = TestPki.writePem(dir.resolve("server.key"), keys.getPrivate());

        ServerCredentials loaded = PemFiles.loadCredentials(certFile, keyFile);

        assertThat(CertificateValidity.of(loaded.leaf(), Instant.now()).expired()).isTrue();
    }
}
