package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * What the TRANSACTION handlers of a session that numbers its maildrop (filters, or an IMAP
 * upstream) may use: the maildrop, the mailbox behind it, the filters, and holding replies
 * back while a filter decides.
 */
interface MaildropContext {

    /** The maildrop numbered at login. */
    Maildrop maildrop();

    /** The upstream's messages by identity. */
    Mailbox mailbox();

    /** The filters as this session uses them; null when message filters are off. */
    SessionFiltering filtering();

    /** Holds back later replies while a filter decides (see {@link Pop3Upstream#suspendReplies()}). */
    void suspendReplies();

    void resumeReplies();
}
