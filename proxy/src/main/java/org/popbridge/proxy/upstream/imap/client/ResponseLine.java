package org.popbridge.proxy.upstream.imap.client;

/**
 * Response text between literals (RFC 9051 section 4.3), without CRLF, as ISO-8859-1 so
 * every octet survives. When it ends in a literal announcement ("{n}", or "~{n}" of
 * RFC 3516) the announcement is part of {@code text} and {@code literalSize} is n: the
 * decoder passes on n octets as {@link LiteralChunk}s, then {@link LiteralEnd}, then the
 * next line of the same response. Otherwise {@code literalSize} is {@link #NO_LITERAL}
 * and this line completes the response.
 *
 * @param afterLiteral true when this line continues a response after a literal, false
 *     when it starts a response (with a tag, "*" or "+")
 */
public record ResponseLine(String text, long literalSize, boolean afterLiteral) implements ImapResponsePart {

    /** The {@code literalSize} of a line that completes its response. */
    public static final long NO_LITERAL = -1;

    public ResponseLine {
        if (literalSize < NO_LITERAL) {
            throw new IllegalArgumentException("literal size " + literalSize);
        }
    }

    /** A whole response without literals. */
    public static ResponseLine complete(String text) {
        return new ResponseLine(text, NO_LITERAL, false);
    }

    public boolean endsWithLiteral() {
        return literalSize != NO_LITERAL;
    }

    public boolean completesResponse() {
        return literalSize == NO_LITERAL;
    }

    public boolean startsResponse() {
        return !afterLiteral;
    }
}
