package org.popbridge.proxy.session;

import io.netty.handler.ssl.SslContext;

/**
 * What a listener gives each of its sessions.
 *
 * @param name the listener URL, for logs
 * @param implicitTls whether TLS starts with the connection (pop3s)
 * @param tls the server TLS context; null if no certificate is available (no STLS then)
 * @param plaintextAuthInClear whether USER, PASS and AUTH are allowed before TLS
 */
public record ListenerSettings(
        String name, boolean implicitTls, SslContext tls, boolean plaintextAuthInClear, SessionLimits limits) {
}
