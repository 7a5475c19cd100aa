package org.popbridge.proxy.core.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about served certificates that clients will soon refuse: ERROR once expired, WARN
 * within 30 days of expiry or before the start of validity. Records the days left.
 */
final class CertificateExpiryCheck {

    /** Soon enough to get a new certificate; the self-signed one is renewed at this distance too. */
    static final Duration WARN_BEFORE = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(CertificateExpiryCheck.class);

    private final Clock clock;
    private final CertificateExpiryRegistry registry;

    CertificateExpiryCheck(Clock clock, CertificateExpiryRegistry registry) {
        this.clock = clock;
        this.registry = registry;
    }

    void check(ServedCertificates served) {
        for (ServedCertificate certificate : served.all()) {
            check(certificate);
        }
    }

    void check(ServedCertificate certificate) {
        Instant now = clock.instant();
        X509Certificate leaf = certificate.credentials().leaf();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        long daysLeft = Math.floorDiv(ChronoUnit.SECONDS.between(now, notAfter), Duration.ofDays(1).toSeconds());
        registry.record(certificate.label(), daysLeft);
        String subject = leaf.getSubjectX500Principal().getName();
        if (now.isAfter(notAfter)) {
            log.error("served certificate {} ({}, {}) EXPIRED on {}: clients refuse it; replace the files",
                    certificate.label(), subject, certificate.role(), notAfter);
        } else if (now.isBefore(notBefore)) {
            log.warn("served certificate {} ({}, {}) is not valid before {}: clients refuse it until then "
                    + "(or this machine's clock is wrong)", certificate.label(), subject, certificate.role(), notBefore);
        } else if (now.plus(WARN_BEFORE).isAfter(notAfter)) {
            log.warn("served certificate {} ({}, {}) expires in {} day(s), on {}; replace the files before then",
                    certificate.label(), subject, certificate.role(), daysLeft, notAfter);
        }
    }
}
