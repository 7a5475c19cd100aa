package org.popbridge.proxy.core.upstream;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The PKIX trust manager towards mail servers, deciding exactly as it does (the chain, then the
 * host name from the engine's endpoint identification), but saying why it refused a server:
 * the JDK's reasons are a message to parse, and name no certificate.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    ExplainingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explain(chain, authType, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explain(chain, authType, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explain(chain, authType, e);
        }
    }

    /**
     * Dates first (an expired chain fails PKIX too, but the fix is a renewal, not a CA); then the
     * chain alone, without the host name: if that passes, the host name was what failed.
     */
    private CertificateException explain(X509Certificate[] chain, String authType, CertificateException refusal) {
        if (chain == null || chain.length == 0) {
            return refusal;
        }
        for (X509Certificate cert : chain) {
            try {
                cert.checkValidity();
            } catch (CertificateExpiredException e) {
                return new RefusedCertificateException(RefusedCertificateException.Reason.EXPIRED, cert, refusal);
            } catch (CertificateNotYetValidException e) {
                return new RefusedCertificateException(RefusedCertificateException.Reason.NOT_YET_VALID, cert, refusal);
            }
        }
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException untrusted) {
            return new RefusedCertificateException(RefusedCertificateException.Reason.UNTRUSTED, chain[0], refusal);
        }
        return new RefusedCertificateException(RefusedCertificateException.Reason.NAME_MISMATCH, chain[0], refusal);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
