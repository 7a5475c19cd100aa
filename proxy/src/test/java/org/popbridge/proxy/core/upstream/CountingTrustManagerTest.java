package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * A completed handshake is new if its engine verified a chain, resumed if not; engines are told
 * apart, whatever order their handshakes complete in, and a refused chain counts nothing.
 */
class CountingTrustManagerTest {

    private final List<Boolean> resumed = new ArrayList<>();

    @Test
    void anEngineThatVerifiedAChainCompletesANewSessionOneThatDidNotAResumedOne() throws Exception {
        CountingTrustManager trust = new CountingTrustManager(anything(), resumed::add);
        X509Certificate[] chain = TestCertificates.newCa().issue("localhost").chainArray();
        SSLEngine first = engine();
        SSLEngine second = engine();
        SSLEngine third = engine();

        trust.checkServerTrusted(chain, "ECDHE_RSA", first);
        trust.checkServerTrusted(chain, "ECDHE_RSA", third);
        trust.completed(second);
        trust.completed(third);
        trust.completed(first);

        assertThat(resumed).containsExactly(true, false, false);
    }

    @Test
    void aRefusedChainAndAFailedHandshakeCountNothingAndLeaveNothingBehind() throws Exception {
        CountingTrustManager trust = new CountingTrustManager(refusingEverything(), resumed::add);
        X509Certificate[] chain = TestCertificates.newCa().issue("localhost").chainArray();
        SSLEngine engine = engine();

        assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_RSA", engine))
                .isInstanceOf(CertificateException.class);
        trust.failed(engine);
        trust.completed(engine());
        assertThat(resumed).as("only the other engine's handshake was counted").containsExactly(true);
    }

    private static SSLEngine engine() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        return context.createSSLEngine("localhost", 995);
    }

    private static X509ExtendedTrustManager anything() {
        return (X509ExtendedTrustManager) InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0];
    }

    /** The system's CAs only: a chain from a test CA is refused. */
    private static X509ExtendedTrustManager refusingEverything() throws Exception {
        return new ExplainingTrustManager((X509ExtendedTrustManager) org.popbridge.certs.TrustStores
                .systemPlus(List.of()).getTrustManagers()[0]);
    }
}
