package org.popbridge.proxy.pop3.session;

import java.util.List;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * How the messages of a numbered maildrop are read and changed upstream: the seam between what
 * the client asked and how the upstream answers. A POP3 upstream is asked under its own message
 * numbers; an IMAP upstream would be asked by UID. Whatever the upstream speaks, replies reach
 * the handler as POP3 replies: a status line, then for RETR and TOP the message, unstuffed.
 */
interface MaildropBackend {

    /** The upstream's messages in its order, before any filter has looked at them. */
    record Listing(List<MaildropEntry> entries, boolean uidsKnown) {}

    /** Lists the maildrop at login; {@code failed} says why it could not be read. */
    void list(Consumer<Listing> listed, Consumer<String> failed);

    /** How many header reads the login scan may have in flight at once. */
    int headerReadsInFlight();

    /** The header block of a message, for the login scan (POP3: TOP n 0). */
    void headers(MaildropEntry entry, ReplyHandler reply);

    void retrieve(MaildropEntry entry, ReplyHandler reply);

    /** The header block and the first {@code lines} lines of the body (RFC 1939 section 7). */
    void top(MaildropEntry entry, String lines, ReplyHandler reply);

    /** Marks a message deleted; nothing is removed before {@link #commit}. */
    void mark(MaildropEntry entry, ReplyHandler reply);

    /** Unmarks every message (RSET). */
    void reset(ReplyHandler reply);

    void noop(ReplyHandler reply);

    /** The client said QUIT in TRANSACTION: the marked messages go, and the session ends. */
    void commit(ReplyHandler reply);
}
