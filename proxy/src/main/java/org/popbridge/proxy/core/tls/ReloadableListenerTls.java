package org.popbridge.proxy.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/** The TLS of one listener: its offer, and the contexts currently in service, read anew for each connection. */
final class ReloadableListenerTls implements ListenerTls {

    private final TlsOffer offer;
    private final Duration handshakeTimeout;
    private final AtomicReference<ListenerTlsContexts> current = new AtomicReference<>();

    ReloadableListenerTls(TlsOffer offer, Duration handshakeTimeout) {
        this.offer = offer;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** Contexts for these certificates; not yet in service. */
    ListenerTlsContexts build(ServedCertificates certificates) throws SSLException {
        return ListenerTlsContexts.build(certificates, offer, handshakeTimeout);
    }

    /** Puts contexts in service for the connections that come next; open ones keep theirs. */
    void install(ListenerTlsContexts contexts) {
        current.set(contexts);
    }

    @Override
    public ChannelHandler newHandler(ByteBufAllocator alloc) {
        return current.get().newHandler(alloc);
    }
}
