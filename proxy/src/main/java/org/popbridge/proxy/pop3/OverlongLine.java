package org.popbridge.proxy.pop3;

/**
 * A client line longer than the configured limit (RFC 2449 section 4: 255 octets for a
 * command). Its bytes were discarded up to the next line end; the session answers -ERR.
 */
public record OverlongLine(int limit) implements ClientInput {
}
