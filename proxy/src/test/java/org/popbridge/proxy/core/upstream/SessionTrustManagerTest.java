package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * A resumed session skips the certificate, so its trust manager looks again only at what may
 * have changed since it was verified: the dates (a ticket can outlive a certificate).
 */
class SessionTrustManagerTest {

    private final List<Boolean> counted = new ArrayList<>();

    @Test
    void aResumedSessionWhoseCertificateHasSinceExpiredIsRefusedAsExpired() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        Instant now = Instant.now();
        X509Certificate[] expired = pki.issue(now.minus(3, ChronoUnit.DAYS), now.minus(1, ChronoUnit.MINUTES), "localhost")
                .chainArray();

        assertThatThrownBy(() -> verifying().resumeServerTrusted(expired, null))
                .isInstanceOfSatisfying(RefusedCertificateException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedCertificateException.Reason.EXPIRED);
                    assertThat(refused.certificate()).isSameAs(expired[0]);
                });
        assertThat(counted).isEmpty();
    }

    @Test
    void aResumedSessionWithinItsCertificatesDatesIsCountedAsResumed() throws Exception {
        X509Certificate[] valid = TestCertificates.newCa().issue("localhost").chainArray();

        verifying().resumeServerTrusted(valid, null);

        assertThat(counted).containsExactly(true);
    }

    @Test
    void withVerificationOffNothingIsCheckedOnResumptionEither() throws Exception {
        Instant now = Instant.now();
        X509Certificate[] expired = TestCertificates.newCa()
                .issue(now.minus(3, ChronoUnit.DAYS), now.minus(1, ChronoUnit.MINUTES), "localhost").chainArray();
        SessionTrustManager insecure = new SessionTrustManager(
                (X509ExtendedTrustManager) InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0], false, counted::add);

        insecure.resumeServerTrusted(expired, null);

        assertThat(counted).containsExactly(true);
    }

    /** Verifying, with a full-handshake verifier that would take anything: only the resumption check can refuse. */
    private SessionTrustManager verifying() {
        return new SessionTrustManager(
                (X509ExtendedTrustManager) InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0], true, counted::add);
    }
}
