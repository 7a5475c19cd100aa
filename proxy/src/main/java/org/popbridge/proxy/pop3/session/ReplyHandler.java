package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.StatusLine;

/** Receives the upstream's reply to one forwarded command, in order: status, content, end. */
public interface ReplyHandler {

    void onStatus(StatusLine status);

    /** A piece of a multi-line body; the handler owns the chunk and must release or pass it on. */
    default void onContent(ContentChunk chunk) {
        chunk.release();
    }

    default void onEnd() {
    }

    /**
     * Whether this handler passes a body to the client untouched and so takes it as the server
     * sent it, still dot-stuffed ({@link ContentChunk#stuffed}); one that reads the body must not.
     * Asked again as the body goes on, until yes: from then on the rest of the body comes as sent.
     */
    default boolean takesBodyAsSent() {
        return false;
    }
}
