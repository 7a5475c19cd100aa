package org.popbridge.proxy.core.metrics;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Where reaching a mail server failed, as the metrics label says it. */
public enum UpstreamStage {
    /** No TCP connection: refused, timed out, no route, the name did not resolve. */
    CONNECT,
    /** The TLS handshake failed: an untrusted certificate, a name mismatch, a plain port. */
    TLS,
    /** Connected, but the greeting, or the answer to STLS or STARTTLS, was not what was needed. */
    GREETING,
    /** The server refused the login, or could not log anyone in just now. */
    LOGIN;

    /** The label value: {@code connect}, {@code tls}, {@code greeting}, {@code login}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Where a server that could not be used before the login failed, from the cause: netty wraps
     * a TLS failure in a DecoderException, so the whole chain of causes is looked at.
     */
    public static UpstreamStage ofUnavailable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return TLS;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return CONNECT;
            }
        }
        return GREETING;
    }
}
