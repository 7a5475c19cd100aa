package org.popbridge.proxy.core.upstream;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What a finished TLS handshake with an upstream showed: the protocol and the server's own
 * certificate, for {@code check-config --probe} to say what it found.
 *
 * @param certificate the server's certificate, null if it sent none
 */
public record PeerTls(String protocol, X509Certificate certificate) {

    /** The TLS of {@code handler}'s connection, empty without a handler or before its handshake succeeded. */
    public static Optional<PeerTls> of(SslHandler handler) {
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return Optional.empty();
        }
        X509Certificate leaf = null;
        try {
            Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                leaf = x509;
            }
        } catch (SSLPeerUnverifiedException e) {
            // No certificate to describe: the protocol alone is said.
        }
        return Optional.of(new PeerTls(handler.engine().getSession().getProtocol(), leaf));
    }

    /** "TLSv1.3, certificate for mail.example.com valid until 2027-01-31". */
    public String describe() {
        if (certificate == null) {
            return protocol;
        }
        return protocol + ", certificate for " + UpstreamProblem.names(certificate) + " valid until "
                + UpstreamProblem.date(certificate.getNotAfter().toInstant());
    }
}
