package org.popbridge.proxy.core.upstream;

import io.netty.util.AttributeKey;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;

/**
 * The trust manager of one upstream TLS context: {@code verifier} decides (PKIX through
 * {@link ExplainingTrustManager}, or nothing for {@code insecure: true}), and the engines whose
 * current handshake verified a chain are noted, so that a completed handshake can be counted as
 * a new session or a resumed one. A resumed session (RFC 8446 section 2.2) skips the
 * certificate, so the trust manager never hears of it: it was verified by this same context for
 * the same host and port when it was made, at most {@link UpstreamTls#SESSION_LIFETIME} ago.
 * (netty's ResumableX509ExtendedTrustManager is not used: netty skips it for OpenSSL's single-use
 * TLS 1.3 sessions, so it would see only some of the resumptions.)
 */
final class CountingTrustManager extends X509ExtendedTrustManager {

    /** Where a context built by {@link UpstreamTls} keeps its counting trust manager. */
    static final AttributeKey<CountingTrustManager> KEY = AttributeKey.valueOf(CountingTrustManager.class, "counting");

    private final X509ExtendedTrustManager verifier;
    private final UpstreamHandshakes handshakes;
    /** Engines that verified a chain in a handshake not yet completed; weak, as an engine may be dropped mid-handshake. */
    private final Map<SSLEngine, Boolean> verified = Collections.synchronizedMap(new WeakHashMap<>());

    CountingTrustManager(X509ExtendedTrustManager verifier, UpstreamHandshakes handshakes) {
        this.verifier = verifier;
        this.handshakes = handshakes;
    }

    /** {@code engine}'s handshake succeeded: counted new if it verified a chain, else resumed. */
    void completed(SSLEngine engine) {
        handshakes.completed(verified.remove(engine) == null);
    }

    /** {@code engine}'s handshake failed: nothing to count. */
    void failed(SSLEngine engine) {
        verified.remove(engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifier.checkServerTrusted(chain, authType, engine);
        verified.put(engine, Boolean.TRUE);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verifier.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verifier.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifier.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.getAcceptedIssuers();
    }
}
