package org.popbridge.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust anchors for verifying upstream servers. */
public final class TrustStores {

    private TrustStores() {
    }

    /** A PKIX trust manager factory that trusts the JDK's default CAs plus the given extra certificates. */
    public static TrustManagerFactory systemPlus(List<X509Certificate> extraTrusted) throws CertificateLoadException {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int alias = 0;
            for (X509Certificate cert : systemCertificates()) {
                anchors.setCertificateEntry("system-" + alias++, cert);
            }
            for (X509Certificate cert : extraTrusted) {
                anchors.setCertificateEntry("extra-" + alias++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateLoadException("Cannot build a trust store from the system CAs and "
                    + extraTrusted.size() + " extra certificate(s): " + e.getMessage(), e);
        }
    }

    /** The CAs the JDK trusts by default (its cacerts, or javax.net.ssl.trustStore if the operator set it). */
    private static List<X509Certificate> systemCertificates() throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        List<X509Certificate> certs = new ArrayList<>();
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                certs.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return certs;
    }
}
