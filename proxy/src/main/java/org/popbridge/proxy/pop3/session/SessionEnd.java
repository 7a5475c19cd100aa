package org.popbridge.proxy.pop3.session;

import java.util.Locale;

/**
 * How a session ended, as the session filters' summary (the audit log) says it.
 *
 * @param text the words the audit log shows
 */
record SessionEnd(String text) {

    /** The client went away without QUIT; the upstream was closed without it too. */
    static final SessionEnd CLIENT_DISCONNECTED = new SessionEnd("client disconnected");

    /** The client connection broke (a reset, a TLS error). */
    static final SessionEnd CLIENT_FAILED = new SessionEnd("client connection failed");

    /** The client said QUIT and got its reply. */
    static final SessionEnd QUIT = new SessionEnd("QUIT");

    /** The proxy closed the session with this -ERR text (idle, too many errors, maildrop unreadable). */
    static SessionEnd closedWith(String errText) {
        return new SessionEnd(errText);
    }

    /** A reply was cut short on purpose, so the client cannot take it for complete. */
    static SessionEnd closedMidReply(String reason) {
        return new SessionEnd("closed mid-reply: " + reason);
    }

    static SessionEnd upstream(UpstreamFailure failure) {
        return new SessionEnd("upstream " + failure.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
