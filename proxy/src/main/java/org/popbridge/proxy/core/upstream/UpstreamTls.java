package org.popbridge.proxy.core.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.TrustStores;
import org.popbridge.proxy.core.tls.TlsEngine;

/**
 * Builds the TLS context popbridge uses towards mail servers: TLS 1.2+ and full verification,
 * whatever its listeners allow their clients (a legacy listener changes nothing here).
 */
public final class UpstreamTls {

    /** The protocols offered to mail servers. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private UpstreamTls() {
    }

    /**
     * Verifies the chain against the JDK's CAs plus {@code extraTrusted}, and the host name
     * (RFC 6125, as HTTPS does). {@code insecure} switches both off: for test rigs only.
     */
    public static SslContext clientContext(List<X509Certificate> extraTrusted, boolean insecure)
            throws SSLException, CertificateLoadException {
        // OpenSSL when it is on the class path, else the JDK's TLS: never the legacy listeners' provider.
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(TlsEngine.modern() == TlsEngine.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS);
        if (insecure) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.trustManager(explaining(TrustStores.systemPlus(extraTrusted))).endpointIdentificationAlgorithm("HTTPS");
        }
        return builder.build();
    }

    /** The PKIX trust manager, wrapped so that a refusal says why (see {@link UpstreamDiagnosis}). */
    private static TrustManager explaining(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager pkix) {
                return new ExplainingTrustManager(pkix);
            }
        }
        throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
    }
}
