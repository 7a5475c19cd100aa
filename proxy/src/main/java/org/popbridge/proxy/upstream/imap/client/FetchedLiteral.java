package org.popbridge.proxy.upstream.imap.client;

/**
 * Tells whether a literal starting in a FETCH response is the one a retrieval asked for:
 * the item it named, for the UID it named. The UID may come after the literal (servers
 * order items as they like, RFC 9051 section 7.5.2), so a response without it yet is
 * matched by its message number.
 */
final class FetchedLiteral {

    private FetchedLiteral() {
    }

    /** True when {@code soFar} is a FETCH whose pending literal is {@code item} (or starts with it) of {@code uid}. */
    static boolean isFor(ImapResponse soFar, long uid, String item, boolean prefix, MailboxSequence sequence) {
        if (!(soFar instanceof FetchResponse fetch) || fetch.pendingLiteral().isEmpty()) {
            return false;
        }
        String pending = fetch.pendingLiteral().get().item();
        if (prefix ? !pending.startsWith(item) : !pending.equals(item)) {
            return false;
        }
        if (fetch.uid().isPresent()) {
            return fetch.uid().getAsLong() == uid;
        }
        long known = sequence.uidAt(fetch.messageNumber());
        return known == 0 || known == uid;
    }
}
