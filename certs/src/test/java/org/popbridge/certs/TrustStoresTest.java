package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrustStoresTest {

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static X509Certificate[] serverChain;

    @BeforeAll
    static void makePki() throws Exception {
        caKeys = TestPki.rsaKeys();
        ca = TestPki.ca(caKeys, "popbridge test CA");
        X509Certificate server = TestPki.server(TestPki.rsaKeys(), "imap.example.test", ca, caKeys.getPrivate());
        serverChain = new X509Certificate[] {server};
    }

    @Test
    void serverSignedByExtraCaIsTrusted() throws Exception {
        X509TrustManager trust = trustManager(TrustStores.systemPlus(List.of(ca)));

        assertThatCode(() -> trust.checkServerTrusted(serverChain, "ECDHE_RSA")).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(serverChain, "RSA")).doesNotThrowAnyException();
    }

    @Test
    void serverSignedByUnknownCaIsRejected() throws Exception {
        X509TrustManager trust = trustManager(TrustStores.systemPlus(List.of()));

        assertThatThrownBy(() -> trust.checkServerTrusted(serverChain, "ECDHE_RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void serverSignedByAnotherCaIsRejectedEvenWithAnExtraCa() throws Exception {
        X509Certificate otherCa = TestPki.ca(TestPki.rsaKeys(), "some other CA");
        X509TrustManager trust = trustManager(TrustStores.systemPlus(List.of(otherCa)));

        assertThatThrownBy(() -> trust.checkServerTrusted(serverChain, "ECDHE_RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void systemCasStayTrustedAlongsideTheExtras() throws Exception {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        List<X509Certificate> jdkCas = Arrays.asList(trustManager(jdk).getAcceptedIssuers());

        List<X509Certificate> trusted = Arrays.asList(trustManager(TrustStores.systemPlus(List.of(ca)))
                .getAcceptedIssuers());

        assertThat(jdkCas).isNotEmpty();
        assertThat(trusted).containsAll(jdkCas).contains(ca).hasSize(jdkCas.size() + 1);
    }

    private static X509TrustManager trustManager(TrustManagerFactory factory) {
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast)
                .findFirst()
                .orElseThrow();
    }
}
