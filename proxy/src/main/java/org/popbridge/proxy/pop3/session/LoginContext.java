package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.StatusLine;

/** What the AUTHORIZATION handlers (USER, PASS, APOP, AUTH, STLS, CAPA) may do: the login role of a session. */
interface LoginContext {

    /** Whether USER, PASS and AUTH may be used on this connection now (TLS, or allowed in clear). */
    boolean plaintextAuthAllowed();

    /** Whether APOP may be used on this connection now (TLS, or allowed in clear: not on a require-tls listener). */
    boolean apopAllowed();

    /** Whether STLS can be offered: the connection is not yet TLS and a certificate is available. */
    boolean stlsAvailable();

    /** Answers +OK and starts the TLS handshake with the client (RFC 2595 section 4). */
    void startClientTls();

    /** The next client line is an RFC 5034 SASL response, not a command. */
    void awaitSaslResponse();

    /** Client responses in the coming SASL exchange go past this, so the log can name the user. */
    void watchSasl(SaslIdentity identity);

    /** The SASL exchange is over; client lines are commands again. */
    void endSaslExchange();

    /** Remembers the user name for logs. */
    void identified(String user);

    /** The user is logged in: the session answers the client's login command with this +OK. */
    void authenticated(StatusLine ok);

    /**
     * The credentials were refused: {@code reply} gives the client the -ERR, after the failure
     * delay, and too many refusals close the session (limits auth-failure-delay, auth-failures).
     */
    void refused(Runnable reply);

    /** USER was accepted: a PASS may follow (RFC 1939 section 7). */
    void userAccepted(String user);

    /** Whether a PASS may be sent now: USER was accepted and no login answered since. */
    boolean passExpected();
}
