package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.core.metrics.LoginFailure;

/** The answer to a clear-text login on a listener that requires TLS first (RFC 2449 [AUTH] code). */
final class PlaintextRefusal {

    static final String TEXT = "[AUTH] Plaintext authentication is disabled here; use STLS first";
    /** For APOP on a listener with require-tls: the digest hides the password, not the mail read after it. */
    static final String ANY_LOGIN = "[AUTH] Every login needs TLS here; use STLS first";

    private PlaintextRefusal() {
    }

    /** Refuses a login (PASS or AUTH) in clear, counted as a login that failed for want of TLS. */
    static void refuseLogin(SessionContext session) {
        session.metrics().loginFailed(LoginFailure.TLS_REQUIRED);
        session.protocolError(TEXT);
    }
}
