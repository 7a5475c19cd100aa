package org.popbridge.proxy.smtp;

/**
 * A command line longer than the limit (RFC 5321 section 4.5.3.1.4: 512 octets with CRLF).
 * Its bytes were discarded up to the next line end; the session answers 500 5.5.6.
 */
public record SmtpOverlongLine(int limit) implements SmtpInput {
}
