package org.popbridge.filters;

import java.util.Objects;

/**
 * What is known of a message before its headers are read.
 *
 * @param uidl the upstream's unique id (RFC 1939 section 7), or null if the upstream has no UIDL or the message is sent
 * @param size the size in octets the upstream reported in LIST, or the client declared with SIZE (RFC 1870); -1 if unknown
 * @param user the user whose maildrop holds it, or who sends it; null if not known
 * @param upstream the server it comes from or goes to, as host:port
 * @param direction whether it is read (incoming) or sent (outgoing)
 * @param envelope the SMTP envelope of a message being sent; null for one being read
 */
public record MessageInfo(String uidl, long size, String user, String upstream, Direction direction,
                          Envelope envelope) {

    public MessageInfo {
        Objects.requireNonNull(direction, "direction");
        if (direction == Direction.OUTGOING) {
            Objects.requireNonNull(envelope, "a message being sent has an envelope");
        }
    }

    /** A message a POP3 client reads. */
    public MessageInfo(String uidl, long size, String user, String upstream) {
        this(uidl, size, user, upstream, Direction.INCOMING, null);
    }

    /** A message an SMTP client sends. */
    public static MessageInfo outgoing(long size, String user, String upstream, Envelope envelope) {
        return new MessageInfo(null, size, user, upstream, Direction.OUTGOING, envelope);
    }

    /** A message seen outside any session, as by {@code popbridge test-rules}. */
    public static MessageInfo offline(long size) {
        return new MessageInfo(null, size, null, null);
    }
}
