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
}
