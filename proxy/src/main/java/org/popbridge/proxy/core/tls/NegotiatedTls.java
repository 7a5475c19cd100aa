package org.popbridge.proxy.core.tls;

import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLSession;
import org.popbridge.filters.TlsSummary;

/** What a finished TLS handshake agreed on, as the audit and the session filters see it. */
public final class NegotiatedTls {

    private NegotiatedTls() {
    }

    /** The protocol and cipher suite of {@code handler}'s session; none without a handler or before its handshake succeeded. */
    public static TlsSummary of(SslHandler handler) {
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return TlsSummary.NONE;
        }
        SSLSession session = handler.engine().getSession();
        return new TlsSummary(session.getProtocol(), session.getCipherSuite());
    }
}
