package org.popbridge.proxy.pop3.session;

/** The answer to a clear-text login on a listener that requires TLS first (RFC 2449 [AUTH] code). */
final class PlaintextRefusal {

    static final String TEXT = "[AUTH] Plaintext authentication is disabled here; use STLS first";

    private PlaintextRefusal() {
    }
}
