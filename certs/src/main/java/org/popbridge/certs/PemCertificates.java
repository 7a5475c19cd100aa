package org.popbridge.certs;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;

/** Reads the certificates of a PEM file, in file order. */
final class PemCertificates {

    static final String ROLE = "Certificate file";

    private PemCertificates() {
    }

    /** All certificates in {@code file}; other PEM blocks (a key in a combined file, say) are skipped. */
    static List<X509Certificate> load(Path file) throws CertificateLoadException {
        List<Object> objects = PemFileReader.read(file, ROLE);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        for (Object o : objects) {
            X509CertificateHolder holder = holder(o);
            if (holder == null) {
                continue;
            }
            try {
                certs.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new CertificateLoadException(ROLE + " " + file + ": certificate " + (certs.size() + 1)
                        + " cannot be decoded: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new CertificateLoadException(ROLE + " " + file + " contains no PEM certificate ("
                    + PemFileReader.describe(objects) + ")");
        }
        return List.copyOf(certs);
    }

    private static X509CertificateHolder holder(Object o) {
        if (o instanceof X509CertificateHolder holder) {
            return holder;
        }
        // "TRUSTED CERTIFICATE" blocks (openssl -trustout) carry trust settings we do not use.
        if (o instanceof X509TrustedCertificateBlock trusted) {
            return trusted.getCertificateHolder();
        }
        return null;
    }
}
