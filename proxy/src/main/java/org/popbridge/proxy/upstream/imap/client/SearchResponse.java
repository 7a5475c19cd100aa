package org.popbridge.proxy.upstream.imap.client;

import java.util.List;

/**
 * "* SEARCH n..." (RFC 3501 section 7.2.5): the message numbers, or UIDs after UID
 * SEARCH, that matched; a trailing "(MODSEQ n)" of RFC 7162 is ignored.
 */
public record SearchResponse(List<Long> numbers) implements ImapResponse {

    public SearchResponse {
        numbers = List.copyOf(numbers);
    }
}
