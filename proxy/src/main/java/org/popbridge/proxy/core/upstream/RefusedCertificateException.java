package org.popbridge.proxy.core.upstream;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * An upstream's certificate refused, with why in a form {@link UpstreamDiagnosis} can word:
 * thrown by {@link ExplainingTrustManager} in place of the JDK's exception, which stays the cause.
 */
final class RefusedCertificateException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** Why the certificate was refused, checked in this order (as PKIX does before the host name). */
    enum Reason { EXPIRED, NOT_YET_VALID, UNTRUSTED, NAME_MISMATCH }

    private final Reason reason;
    private final transient X509Certificate certificate;

    /** {@code certificate} is the one at fault: the server's own, or the chain's expired one. */
    RefusedCertificateException(Reason reason, X509Certificate certificate, CertificateException cause) {
        super(reason + ": " + cause.getMessage(), cause);
        this.reason = reason;
        this.certificate = certificate;
    }

    Reason reason() {
        return reason;
    }

    X509Certificate certificate() {
        return certificate;
    }
}
