package org.popbridge.filters;

/**
 * What is known of a message before its headers are read.
 *
 * @param uidl the upstream's unique id (RFC 1939 section 7), or null if the upstream has no UIDL
 * @param size the size in octets the upstream reported in LIST, or -1 if unknown
 * @param user the user whose maildrop holds it, or null if not known
 * @param upstream the upstream it comes from, as host:port
 */
public record MessageInfo(String uidl, long size, String user, String upstream) {

    /** A message seen outside any session, as by {@code popbridge test-rules}. */
    public static MessageInfo offline(long size) {
        return new MessageInfo(null, size, null, null);
    }
}
