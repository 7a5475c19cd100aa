package org.popbridge.proxy.core.session;

import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.tls.ListenerTls;

/**
 * What a listener gives each of its sessions.
 *
 * @param name the listener URL, for logs
 * @param implicitTls whether TLS starts with the connection (pop3s)
 * @param tls the TLS offered to clients; null if no certificate is available (no STLS then)
 * @param clearLogins which logins are taken before TLS
 * @param clients the limits on clients this listener shares with the proxy's others
 * @param meters what its sessions count for the metrics endpoint (bound to this listener)
 */
public record ListenerSettings(
        String name, boolean implicitTls, ListenerTls tls, ClearLogins clearLogins, SessionLimits limits,
        ClientLimits clients, ListenerMeters meters) {

    /** A listener whose sessions count nothing. */
    public ListenerSettings(String name, boolean implicitTls, ListenerTls tls, ClearLogins clearLogins,
                            SessionLimits limits, ClientLimits clients) {
        this(name, implicitTls, tls, clearLogins, limits, clients, ListenerMeters.NONE);
    }

    /** Whether USER, PASS and AUTH are allowed before TLS. */
    public boolean plaintextAuthInClear() {
        return clearLogins.plaintext();
    }

    /** A listener with the default client limits and counters of its own. */
    public ListenerSettings(String name, boolean implicitTls, ListenerTls tls, ClearLogins clearLogins,
                            SessionLimits limits) {
        this(name, implicitTls, tls, clearLogins, limits, ClientLimits.defaults());
    }
}
