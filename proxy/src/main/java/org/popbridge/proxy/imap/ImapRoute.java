package org.popbridge.proxy.imap;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * Where and how a session reaches its IMAP server; the IMAP twin of
 * {@link org.popbridge.proxy.upstream.UpstreamRoute}, whose scheme is POP3's.
 *
 * @param tls the client TLS context (from {@link org.popbridge.proxy.upstream.UpstreamTls}),
 *     null only for plain {@link ImapScheme#IMAP}
 * @param replyTimeout how long the server may stay silent while a response is awaited
 */
public record ImapRoute(
        ImapScheme scheme,
        String host,
        int port,
        SslContext tls,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration replyTimeout) {

    public ImapRoute {
        if (scheme.usesTls() && tls == null) {
            throw new IllegalArgumentException(scheme.scheme() + " upstream needs a TLS context");
        }
    }

    /** A TLS handler for this upstream: SNI and host name verification use {@link #host()}. */
    public SslHandler newTlsHandler(ByteBufAllocator alloc) {
        SslHandler handler = tls.newHandler(alloc, host, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /** The route as a URL, for logs. */
    public String url() {
        return scheme.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
