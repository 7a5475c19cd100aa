package org.popbridge.proxy.upstream.imap.client;

/**
 * "* n EXPUNGE" (RFC 9051 section 7.5.1): message number n is gone and every higher
 * message number has moved down by one.
 */
public record ExpungeResponse(long messageNumber) implements ImapResponse {
}
