package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;

/**
 * Receives one message (or its TOP part) as {@link ImapLink} streams it from a FETCH literal.
 * Called on the link's event loop. Exactly one of {@link #onEnd()}, {@link #onGone()} and
 * {@link #onFailure(ImapLinkException)} ends the stream; after {@link #onStart(long)} only
 * {@link #onEnd()} says the octets are complete. A slow receiver calls
 * {@link ImapLink#pauseReading()} and later {@link ImapLink#resumeReading()}.
 */
public interface MessageSink {

    /** Octets follow: {@code size} of them for a whole message, -1 when not known ahead (TOP). */
    void onStart(long size);

    /** The next octets, exactly as the server holds them; the sink owns {@code chunk} and releases it. */
    void onChunk(ByteBuf chunk);

    /** Every octet was passed on and the server completed the command. */
    void onEnd();

    /** The message is not there any more: another client expunged it. Nothing was passed on. */
    void onGone();

    /** The stream broke; any octets passed on are not the whole message. */
    void onFailure(ImapLinkException cause);
}
