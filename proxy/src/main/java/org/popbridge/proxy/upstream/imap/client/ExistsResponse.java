package org.popbridge.proxy.upstream.imap.client;

/** "* n EXISTS" (RFC 9051 section 7.4.1): the mailbox now holds {@code count} messages. */
public record ExistsResponse(long count) implements ImapResponse {
}
