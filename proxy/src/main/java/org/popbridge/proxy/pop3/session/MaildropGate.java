package org.popbridge.proxy.pop3.session;

import java.util.function.Consumer;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * With message filters on, the maildrop as the client sees it and the gate its commands wait
 * at. At login the maildrop is numbered before the client's +OK, so hidden messages never get
 * a number; later, while a filter decides on a message, commands wait so replies stay in order.
 * With filters off there is no maildrop and the gate never closes.
 */
final class MaildropGate {

    /** Null when messages are relayed as they are. */
    private final MessageFiltering messageFiltering;
    private SessionFiltering filtering;
    private Maildrop maildrop;
    private MaildropBackend backend;
    /** The maildrop is being numbered at login. */
    private boolean scanning;
    /** A filter is deciding on a message. */
    private boolean repliesSuspended;

    /** @param messageFiltering the proxy's filters, or null */
    MaildropGate(MessageFiltering messageFiltering) {
        this.messageFiltering = messageFiltering != null && messageFiltering.active() ? messageFiltering : null;
    }

    boolean filtersMessages() {
        return messageFiltering != null;
    }

    /**
     * Numbers the maildrop of the user just logged in (message filters on); then {@code numbered}
     * runs, or {@code failed} with the reason it could not be read. The upstream's URL and the
     * user key the verdict cache.
     */
    void numberMaildrop(SessionContext session, String sessionId, String user, String upstream, Runnable numbered,
                        Consumer<String> failed) {
        filtering = new SessionFiltering(messageFiltering, sessionId, upstream, user);
        backend = new Pop3MaildropBackend(session, session.upstreamCapabilities().pipelining());
        scanning = true;
        new MaildropScan(session, backend, filtering, result -> {
            scanning = false;
            maildrop = result;
            numbered.run();
        }, failed).start();
    }

    /** Whether client commands must wait: the maildrop is being numbered, or a filter is deciding. */
    boolean holdsCommands() {
        return scanning || repliesSuspended;
    }

    void suspendReplies() {
        repliesSuspended = true;
    }

    void resumeReplies() {
        repliesSuspended = false;
    }

    /** The maildrop numbered at login; null with filters off or before login. */
    Maildrop maildrop() {
        return maildrop;
    }

    /** How the numbered maildrop's messages are read and changed upstream; null with filters off or before login. */
    MaildropBackend backend() {
        return maildrop == null ? null : backend;
    }

    /** The filters as this session uses them; null with filters off or before login. */
    SessionFiltering filtering() {
        return filtering;
    }
}
