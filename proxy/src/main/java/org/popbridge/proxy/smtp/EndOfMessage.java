package org.popbridge.proxy.smtp;

/** The "." line that ends a message's data (RFC 5321 section 4.1.1.4); the message is complete. */
public enum EndOfMessage implements SmtpInput {
    INSTANCE
}
