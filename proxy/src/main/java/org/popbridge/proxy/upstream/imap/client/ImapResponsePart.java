package org.popbridge.proxy.upstream.imap.client;

/**
 * A piece of what an IMAP server sends (RFC 9051 section 2.2.2): the text of a response
 * line up to a literal or to its end, the literal's octets in chunks, and the literal's
 * end. A response is one or more {@link ResponseLine}s with a literal between each two;
 * the {@link ResponseLine} that does not end in a literal completes the response.
 */
public sealed interface ImapResponsePart permits ResponseLine, LiteralChunk, LiteralEnd {
}
