package org.popbridge.proxy.pop3;

/**
 * A piece of a server reply (RFC 1939 section 3): the status line, then for multi-line
 * replies the content in chunks (dot-stuffing undone) and the end marker.
 */
public sealed interface Pop3Reply permits StatusLine, ContentChunk, EndOfMultiline {
}
