package org.popbridge.proxy.core.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.TrustStores;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;
import org.popbridge.proxy.core.tls.TlsEngine;

/**
 * Builds the TLS context popbridge uses towards mail servers: TLS 1.2+ and full verification,
 * whatever its listeners allow their clients (a legacy listener changes nothing here).
 *
 * <p>A context keeps the sessions it made in its client cache, one per host and port, and
 * offers the latest when it next connects there, so a server that issues tickets (RFC 8446
 * section 4.6.1; OpenSSL, hence Dovecot, does by default) is not made to do a full handshake per
 * login. Build one context per server and trust settings and share it between that server's
 * connections: a context built per connection resumes nothing, and one shared across trust
 * settings could resume a session that the stricter settings never verified.
 */
public final class UpstreamTls {

    /** The protocols offered to mail servers. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * How long a session may be resumed, at most (the server's ticket lifetime may be shorter):
     * an hour of logins share one full handshake's work, while a resumed session's certificate
     * was verified at most an hour ago, and a changed certificate or CA is seen within the hour
     * even without a reload (which starts every context afresh).
     */
    static final Duration SESSION_LIFETIME = Duration.ofHours(1);

    private UpstreamTls() {
    }

    /**
     * Verifies the chain against the JDK's CAs plus {@code extraTrusted}, and the host name
     * (RFC 6125, as HTTPS does). {@code insecure} switches both off: for test rigs only.
     *
     * @param engine {@link TlsEngine#JDK} or {@link TlsEngine#OPENSSL}; never the legacy listeners' provider
     * @param handshakes counts this server's new and resumed sessions
     */
    public static SslContext clientContext(List<X509Certificate> extraTrusted, boolean insecure, TlsEngine engine,
                                           UpstreamHandshakes handshakes)
            throws SSLException, CertificateLoadException {
        if (engine != TlsEngine.JDK && engine != TlsEngine.OPENSSL) {
            throw new IllegalArgumentException(engine + " never connects to mail servers: TLS 1.2 or newer only");
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(engine == TlsEngine.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS)
                .sessionTimeout(SESSION_LIFETIME.toSeconds());
        CountingTrustManager trust;
        if (insecure) {
            trust = new CountingTrustManager(pkix(InsecureTrustManagerFactory.INSTANCE), handshakes);
            builder.trustManager(trust).endpointIdentificationAlgorithm(null);
        } else {
            trust = new CountingTrustManager(new ExplainingTrustManager(pkix(TrustStores.systemPlus(extraTrusted))),
                    handshakes);
            builder.trustManager(trust).endpointIdentificationAlgorithm("HTTPS");
        }
        SslContext context = builder.build();
        context.attributes().attr(CountingTrustManager.KEY).set(trust);
        return context;
    }

    /** The factory's X509ExtendedTrustManager (for the system's, PKIX). */
    private static X509ExtendedTrustManager pkix(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new IllegalStateException("the trust manager factory made no X509ExtendedTrustManager");
    }
}
