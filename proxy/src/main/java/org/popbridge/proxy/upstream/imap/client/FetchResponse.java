package org.popbridge.proxy.upstream.imap.client;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * "* n FETCH (...)" (RFC 9051 section 7.5.2): the items popbridge uses, and which items
 * had literal values. Read from the response's {@link ResponseLine} texts joined, where
 * each literal stands as its announcement "{n}". When that text ends in an announcement
 * (the response is still arriving) {@code pendingLiteral} names the item whose octets
 * come next; items after it are not known yet.
 *
 * @param flags present when the response had FLAGS, as sent ("\Seen", "$Junk")
 * @param literals every item whose value was a literal so far, in order
 */
public record FetchResponse(long messageNumber, OptionalLong uid, OptionalLong rfc822Size,
        Optional<List<String>> flags, List<FetchLiteral> literals, Optional<FetchLiteral> pendingLiteral)
        implements ImapResponse {

    /**
     * An item with a literal value: {@code item} as sent, upper-cased ("BODY[]", "BODY[]&lt;0&gt;",
     * "BINARY[]" for a literal8, "BODY[HEADER]", "ENVELOPE" for a literal inside it).
     */
    public record FetchLiteral(String item, long size) {
    }

    public FetchResponse {
        flags = flags.map(List::copyOf);
        literals = List.copyOf(literals);
    }

    /** True when the text was the whole response, not a part ending in a literal announcement. */
    public boolean isComplete() {
        return pendingLiteral.isEmpty();
    }
}
