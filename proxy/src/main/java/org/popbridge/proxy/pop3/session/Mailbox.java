package org.popbridge.proxy.pop3.session;

import java.util.List;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * The upstream's messages, asked by identity (a POP3 server's own message number, an IMAP
 * UID): the seam between the maildrop a session numbers and the server that holds it, in the
 * spirit of Apache James' {@code Mailbox}. Whatever the upstream speaks, replies reach the
 * handler as POP3 replies: a status line, then for RETR and TOP the message, unstuffed, and
 * in the order the session asked.
 */
public interface Mailbox {

    /** The upstream's messages in its order, before any filter has looked at them. */
    record Listing(List<MaildropEntry> entries, boolean uidsKnown) {}

    /** Lists the maildrop at login; {@code failed} says why it could not be read. */
    void list(Consumer<Listing> listed, Consumer<String> failed);

    /** How many header reads the login scan may have in flight at once. */
    int headerReadsInFlight();

    /** The header block of a message, for the login scan (POP3: TOP n 0). */
    void headers(MaildropEntry entry, ReplyHandler reply);

    /**
     * Whether the login scan reads header blocks with {@link #headers(List, HeaderPass)}, in one
     * pass, rather than one {@link #headers(MaildropEntry, ReplyHandler)} per message.
     */
    default boolean readsHeadersInOnePass() {
        return false;
    }

    /**
     * The header blocks of {@code entries} (in maildrop order), for the login scan, in one pass:
     * each reaches {@code pass} as it arrives (IMAP: one UID FETCH of a set); only if
     * {@link #readsHeadersInOnePass()}.
     *
     * @return the reading under way, for the scan to pause while its filters are busy
     */
    default HeaderPass.Reading headers(List<MaildropEntry> entries, HeaderPass pass) {
        throw new UnsupportedOperationException("header blocks are read one at a time here");
    }

    void retrieve(MaildropEntry entry, ReplyHandler reply);

    /** The header block and the first {@code lines} lines of the body (RFC 1939 section 7). */
    void top(MaildropEntry entry, String lines, ReplyHandler reply);

    /** Marks a message deleted; nothing is removed before {@link #commit}. */
    void mark(MaildropEntry entry, ReplyHandler reply);

    /** Unmarks every message (RSET). */
    void reset(ReplyHandler reply);

    void noop(ReplyHandler reply);

    /** The client said QUIT in TRANSACTION: the {@code deleted} messages go, and only they. */
    void commit(List<MaildropEntry> deleted, ReplyHandler reply);
}
