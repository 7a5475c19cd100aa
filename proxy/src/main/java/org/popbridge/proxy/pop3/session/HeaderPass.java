package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * The login scan's side of a mailbox that reads many header blocks in one pass
 * ({@link Mailbox#headers(java.util.List, HeaderPass)}: IMAP's UID FETCH of a set). Called on
 * the session's event loop, never before that call has returned. Each entry asked for reaches
 * exactly one of {@link #reader} and {@link #gone}, then {@link #finished()} follows; if the
 * upstream fails meanwhile, nothing more comes and the session hears of it as for any command.
 */
public interface HeaderPass {

    /**
     * Where {@code entry}'s header block goes: the handler gets the block as it arrives, as the
     * reply to {@code TOP n 0} would bring it (+OK, content chunks it owns, end), or one -ERR
     * when the server refused to send it.
     */
    ReplyHandler reader(MaildropEntry entry);

    /** The server sent nothing for {@code entry}: another client removed the message after login. */
    void gone(MaildropEntry entry);

    /** Every entry was handed to {@link #reader} or {@link #gone}. */
    void finished();

    /** The reading under way, which the scan slows down while its filters are busy. */
    interface Reading {
        /** Stops reading from the server: nothing more arrives until {@link #resume()}. */
        void pause();

        void resume();
    }
}
