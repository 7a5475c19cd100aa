package org.popbridge.proxy.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** One listener's server contexts for one set of served certificates; immutable, swapped whole on reload. */
final class ListenerTlsContexts {

    private final SslContext defaultContext;
    private final Mapping<String, SslContext> byServerName;
    private final boolean sni;
    private final long handshakeTimeoutMillis;

    private ListenerTlsContexts(SslContext defaultContext, Mapping<String, SslContext> byServerName, boolean sni,
                                long handshakeTimeoutMillis) {
        this.defaultContext = defaultContext;
        this.byServerName = byServerName;
        this.sni = sni;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    static ListenerTlsContexts build(ServedCertificates certificates, TlsOffer offer, Duration handshakeTimeout)
            throws SSLException {
        SslContext fallback = context(certificates.defaultCertificate(), offer);
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(fallback);
        for (ServedCertificate named : certificates.byServerName()) {
            SslContext context = context(named, offer);
            for (String name : named.serverNames()) {
                mapping.add(name, context);
            }
        }
        return new ListenerTlsContexts(fallback, mapping.build(), !certificates.byServerName().isEmpty(),
                handshakeTimeout.toMillis());
    }

    private static SslContext context(ServedCertificate certificate, TlsOffer offer) throws SSLException {
        TlsEngine engine = offer.engine();
        SslContextBuilder builder = engine.forServer(certificate.credentials())
                .protocols(offer.protocols())
                // Both engines honour this list, TLS 1.2's and 1.3's suites alike; a suite an engine
                // lacks (BoringSSL has no DHE, for one) is skipped rather than failing the listener.
                .ciphers(offer.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
        return engine.configure(builder).build();
    }

    /** An SslHandler, or with SNI entries a SniHandler that picks the context by the ClientHello's name. */
    ChannelHandler newHandler(ByteBufAllocator alloc) {
        if (sni) {
            // No name (most old clients) or an unlisted one gets the default certificate.
            return new SniHandler(byServerName, handshakeTimeoutMillis);
        }
        SslHandler handler = defaultContext.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
