package org.popbridge.proxy.core.upstream;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;

/**
 * The trust manager of one upstream TLS context, for new and resumed sessions alike. A new
 * session's chain and host name go to {@code verifier} (PKIX through {@link ExplainingTrustManager},
 * or nothing for {@code insecure: true}). A resumed session skips the certificate: netty calls
 * {@link #resumeServerTrusted} for it instead, with the chain the session was made with. That
 * session was verified by this same context (one per server and trust settings) for the same host
 * and port (the engines' client caches are keyed by both), so only the dates are looked at again:
 * a ticket may outlive its certificate. Either way the handshake is counted.
 */
final class SessionTrustManager extends X509ExtendedTrustManager implements ResumableX509ExtendedTrustManager {

    private final X509ExtendedTrustManager verifier;
    private final boolean verifying;
    private final UpstreamHandshakes handshakes;

    /** {@code verifying} false: {@code verifier} accepts anything, and resumed sessions are not checked either. */
    SessionTrustManager(X509ExtendedTrustManager verifier, boolean verifying, UpstreamHandshakes handshakes) {
        this.verifier = verifier;
        this.verifying = verifying;
        this.handshakes = handshakes;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verifier.checkServerTrusted(chain, authType, engine);
        handshakes.completed(false);
    }

    @Override
    public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        if (verifying) {
            for (X509Certificate cert : chain) {
                try {
                    cert.checkValidity();
                } catch (CertificateExpiredException e) {
                    throw new RefusedCertificateException(RefusedCertificateException.Reason.EXPIRED, cert, e);
                } catch (CertificateNotYetValidException e) {
                    throw new RefusedCertificateException(RefusedCertificateException.Reason.NOT_YET_VALID, cert, e);
                }
            }
        }
        handshakes.completed(true);
    }

    @Override
    public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        throw new CertificateException("popbridge never accepts clients through an upstream context");
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
