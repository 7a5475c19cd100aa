package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;

/**
 * What one command does with the server's responses while it is the command in flight
 * (RFC 9051 section 2.2.2). Called on the link's event loop; exactly one of
 * {@link #onTagged} and {@link #onFailure} ends it.
 */
interface ResponseHandler {

    /** An untagged response, after the link has noted what it tracks (EXISTS, EXPUNGE, capabilities). */
    default void onUntagged(ImapResponse response) {
    }

    /**
     * A response reached a literal of {@code size} octets; {@code soFar} is the response
     * parsed up to it. Returns true to receive the octets, false to have them discarded.
     */
    default boolean onLiteralStart(ImapResponse soFar, long size) {
        return false;
    }

    /** Octets of an accepted literal; the handler owns {@code chunk}. */
    default void onLiteralChunk(ByteBuf chunk) {
        chunk.release();
    }

    default void onLiteralEnd() {
    }

    /** "+" that is not for a literal of the command: the next AUTHENTICATE step. */
    default void onContinuation(ContinuationRequest request) {
    }

    void onTagged(StatusResponse status);

    void onFailure(ImapLinkException cause);
}
