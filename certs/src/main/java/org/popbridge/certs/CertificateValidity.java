package org.popbridge.certs;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate's validity period (RFC 5280 section 4.1.2.5, both ends inclusive) as seen at {@code checkedAt}.
 * An expired certificate still loads; this is what callers use to warn about it.
 */
public record CertificateValidity(Instant notBefore, Instant notAfter, Instant checkedAt) {

    /** How long before expiry popbridge starts warning: 30 days, time enough to renew through any CA. */
    public static final Duration WARNING_PERIOD = Duration.ofDays(30);

    /** Checks that all three instants are given. */
    public CertificateValidity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** The validity of {@code cert} as seen at {@code now}. */
    public static CertificateValidity of(X509Certificate cert, Instant now) {
        return new CertificateValidity(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), now);
    }

    /** Whole days from checkedAt to notAfter, rounded toward zero: 0 on the last day, negative a day after expiry. */
    public long daysLeft() {
        return Duration.between(checkedAt, notAfter).toDays();
    }

    /** True once notAfter has passed; a certificate is still valid at the instant notAfter itself. */
    public boolean expired() {
        return checkedAt.isAfter(notAfter);
    }

    /** True before notBefore, as when the proxy's (or the issuer's) clock is off. */
    public boolean notYetValid() {
        return checkedAt.isBefore(notBefore);
    }

    /** True if the certificate is expired or expires at or before {@code checkedAt + period}. */
    public boolean expiresWithin(Duration period) {
        return !notAfter.isAfter(checkedAt.plus(period));
    }
}
