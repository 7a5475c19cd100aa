package org.popbridge.proxy.pop3.session;

import java.util.function.Consumer;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * The maildrop as the client sees it, when the session numbers it (message filters on, or an
 * upstream such as IMAP that serves messages only by identity), and the gate commands wait at.
 * At login the maildrop is numbered before the client's +OK, so hidden messages never get a
 * number; later, while a filter decides on a message, commands wait so replies stay in order.
 * A plain relay has no maildrop and the gate never closes.
 */
final class MaildropGate implements MaildropContext {

    /** How the session holds replies back and lets them go. */
    interface Replies {
        void hold();

        void release();
    }


    /** Null when messages are relayed as they are. */
    private final MessageFiltering messageFiltering;
    private SessionFiltering filtering;
    private Maildrop maildrop;
    private Mailbox mailbox;
    /** The maildrop is being numbered at login. */
    private boolean scanning;
    /** A filter is deciding on a message. */
    private boolean repliesSuspended;

    private final Replies replies;

    /** @param messageFiltering the proxy's filters, or null */
    MaildropGate(MessageFiltering messageFiltering, Replies replies) {
        this.replies = replies;
        this.messageFiltering = messageFiltering != null && messageFiltering.active() ? messageFiltering : null;
    }

    /** Whether the session numbers the maildrop of a user logged in through {@code upstream}. */
    boolean numbersMaildrop(Pop3Upstream upstream) {
        return messageFiltering != null || upstream.needsMaildrop();
    }

    /**
     * Numbers the maildrop of the user just logged in; then {@code numbered} runs, or
     * {@code failed} with the reason it could not be read. The upstream's URL and the user key
     * the verdict cache.
     */
    void numberMaildrop(SessionContext session, String sessionId, String user, Pop3Upstream upstream,
                        Runnable numbered, Consumer<String> failed) {
        filtering = messageFiltering == null ? null
                : new SessionFiltering(messageFiltering, sessionId, upstream.url(), user);
        mailbox = upstream.mailbox();
        scanning = true;
        new MaildropScan(session.executor(), sessionId, mailbox, filtering, result -> {
            scanning = false;
            maildrop = result;
            numbered.run();
        }, failed).start();
    }

    /** Whether client commands must wait: the maildrop is being numbered, or a filter is deciding. */
    boolean holdsCommands() {
        return scanning || repliesSuspended;
    }

    @Override
    public void suspendReplies() {
        repliesSuspended = true;
        replies.hold();
    }

    @Override
    public void resumeReplies() {
        repliesSuspended = false;
        replies.release();
    }

    /** The maildrop role once the maildrop is numbered; null for a plain relay or before. */
    MaildropContext numbered() {
        return maildrop == null ? null : this;
    }

    /** The maildrop numbered at login; null for a plain relay or before login. */
    @Override
    public Maildrop maildrop() {
        return maildrop;
    }

    /** The upstream's messages by identity; null exactly when {@link #maildrop()} is. */
    @Override
    public Mailbox mailbox() {
        return maildrop == null ? null : mailbox;
    }

    /** The filters as this session uses them; null with filters off or before login. */
    @Override
    public SessionFiltering filtering() {
        return filtering;
    }
}
