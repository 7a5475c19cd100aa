package org.popbridge.proxy.core.metrics;

/**
 * Counts the TLS handshakes with one mail server that succeeded: a new session (the chain and
 * host name verified), or a session resumed from a ticket (RFC 8446 section 2.2), which skips
 * both the server's signature and the chain's verification.
 */
@FunctionalInterface
public interface UpstreamHandshakes {

    /** Counts nothing. */
    UpstreamHandshakes NONE = resumed -> { };

    void completed(boolean resumed);
}
