package org.popbridge.proxy.smtp.session;

/** Where an SMTP session stands (RFC 5321 section 4.1.4, RFC 4954 section 4). */
enum SmtpPhase {
    /** Greeted; the client has not said EHLO or HELO (again, after STARTTLS). */
    INITIAL,
    /** EHLO said; popbridge answers until the client logs in. */
    GREETED,
    /** The credentials went upstream; the server's answer is awaited. */
    LOGGING_IN,
    /** Logged in: commands are relayed to the submission server. */
    RELAYING,
    /** Between the server's 354 and the end of the data: octets are streamed upstream. */
    MESSAGE
}
