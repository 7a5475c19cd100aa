package org.popbridge.proxy.core.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a session reaches its mail server, POP3 or IMAP.
 *
 * @param tls the client TLS context for the upstream, null for a plain scheme
 * @param replyTimeout how long the upstream may stay silent while a reply is awaited
 * @param forwarding what the upstream is told of the real client
 */
public record UpstreamEndpoint(
        UpstreamScheme scheme,
        String host,
        int port,
        SslContext tls,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration replyTimeout,
        ClientForwarding forwarding) {

    public UpstreamEndpoint {
        if (scheme.usesTls() && tls == null) {
            throw new IllegalArgumentException(scheme.scheme() + " upstream needs a TLS context");
        }
        Objects.requireNonNull(forwarding, "forwarding");
    }

    /** An upstream told nothing of the client. */
    public UpstreamEndpoint(UpstreamScheme scheme, String host, int port, SslContext tls, Duration connectTimeout,
                            Duration handshakeTimeout, Duration replyTimeout) {
        this(scheme, host, port, tls, connectTimeout, handshakeTimeout, replyTimeout, ClientForwarding.none());
    }

    /**
     * A TLS handler for this upstream: SNI and host name verification use {@link #host()}, and
     * host and port are what the context's session cache is keyed by, so that a session made
     * here is resumed here (UpstreamTls). Its handshake is counted, new or resumed, when the
     * context was built by {@link UpstreamTls}.
     */
    public SslHandler newTlsHandler(ByteBufAllocator alloc) {
        SslHandler handler = tls.newHandler(alloc, host, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        CountingTrustManager counting = tls.attributes().attr(CountingTrustManager.KEY).get();
        if (counting != null) {
            handler.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    counting.completed(handler.engine());
                } else {
                    counting.failed(handler.engine());
                }
            });
        }
        return handler;
    }

    /** The route as a URL, for logs. */
    public String url() {
        return scheme.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
