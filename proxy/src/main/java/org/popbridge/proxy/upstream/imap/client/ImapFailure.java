package org.popbridge.proxy.upstream.imap.client;

/** Why an {@link ImapLink} operation failed; the session picks the POP3 response code from it. */
public enum ImapFailure {
    /** No connection, TLS failed, a BYE greeting, or STARTTLS missing or refused: the link never became usable. */
    UNAVAILABLE,
    /** The connection closed or broke. */
    LOST,
    /** No response within the reply timeout. */
    TIMED_OUT,
    /** The server broke the protocol (malformed or unexpected response). */
    PROTOCOL,
    /** The server answered the command with NO or BAD. */
    REFUSED,
    /** The session closed the link itself ({@link ImapLink#abort()}). */
    CLOSED
}
