package org.popbridge.proxy.server;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.PemFiles;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.core.upstream.UpstreamTls;

/**
 * The TLS contexts towards mail servers of one generation: one per host, port and trust
 * settings, shared by every route, connector and protocol leg that reaches that server, so
 * that its TLS sessions are resumed by the next login (UpstreamTls), and only there: a server
 * reached with another CA file, or with verification off, gets a context, hence a session cache,
 * of its own. A reload builds new ones, so a changed CA or engine never meets an old session.
 */
final class UpstreamTlsContexts {

    /** What makes two servers one context: where it is and how it is trusted. */
    private record Trust(String host, int port, Path ca, boolean insecure) {

        static Trust of(UpstreamConfig upstream) {
            return new Trust(upstream.host().toLowerCase(Locale.ROOT), upstream.port(), upstream.ca(), upstream.insecure());
        }
    }

    private final TlsEngine engine;
    private final Function<String, UpstreamHandshakes> meters;
    private final Map<Trust, SslContext> contexts = new HashMap<>();

    /**
     * @param engine the engine tls.engine chose for the upstream side
     * @param meters the handshake counter of a server, by its URL
     */
    UpstreamTlsContexts(TlsEngine engine, Function<String, UpstreamHandshakes> meters) {
        this.engine = engine;
        this.meters = meters;
    }

    /** Contexts that count nothing: for the probes, which visit each server once. */
    static UpstreamTlsContexts unmetered(TlsEngine engine) {
        return new UpstreamTlsContexts(engine, url -> UpstreamHandshakes.NONE);
    }

    TlsEngine engine() {
        return engine;
    }

    /** The context for {@code upstream}, a TLS scheme: built once per host, port and trust settings. */
    SslContext contextFor(UpstreamConfig upstream) throws ConfigException {
        Trust trust = Trust.of(upstream);
        SslContext context = contexts.get(trust);
        if (context == null) {
            try {
                List<X509Certificate> extra = upstream.ca() == null ? List.of() : PemFiles.loadCertificates(upstream.ca());
                context = UpstreamTls.clientContext(extra, upstream.insecure(), engine, meters.apply(upstream.url()));
            } catch (CertificateLoadException | SSLException e) {
                throw new ConfigException("upstream TLS for " + upstream.url() + ": " + e.getMessage(), e);
            }
            contexts.put(trust, context);
        }
        return context;
    }
}
