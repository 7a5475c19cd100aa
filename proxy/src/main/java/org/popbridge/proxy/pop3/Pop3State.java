package org.popbridge.proxy.pop3;

/** The states of a POP3 session (RFC 1939 section 3). */
public enum Pop3State {
    /** Before the user is identified; also before the upstream has greeted. */
    AUTHORIZATION,
    /** Logged in: the maildrop is locked and commands act on it. */
    TRANSACTION,
    /** QUIT was sent in TRANSACTION: the upstream applies deletions; nothing else is accepted. */
    UPDATE
}
