package org.popbridge.proxy.core.session;

/**
 * Which logins a listener takes before TLS (a listener's {@code require-tls-for-auth} and
 * {@code require-tls}), as Dovecot's {@code disable_plaintext_auth} and {@code ssl = required}:
 * a password in clear is the common thing to refuse; APOP's digest does not reveal the password,
 * but the mail read after it is as readable as the password would have been.
 */
public enum ClearLogins {
    /** USER/PASS, AUTH and APOP before TLS: a listener bound to loopback, or require-tls-for-auth: false. */
    ALL,
    /** APOP only: no password crosses in clear (require-tls-for-auth, the default off loopback). */
    DIGEST_ONLY,
    /** None: every login waits for TLS, APOP too (require-tls: true). */
    NONE;

    /** Whether USER, PASS and AUTH (whose PLAIN and LOGIN carry the password) may come before TLS. */
    public boolean plaintext() {
        return this == ALL;
    }

    /** Whether APOP may come before TLS. */
    public boolean apop() {
        return this != NONE;
    }
}
