package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Octets of a multi-line reply body, without the terminator: as the mailbox holds them (no
 * dot-stuffing), or, for a body relayed untouched, as the server sent them ({@link #asSent},
 * dot-stuffed, RFC 1939 section 3), which the client needs as they are.
 */
public final class ContentChunk extends DefaultByteBufHolder implements Pop3Reply {

    private final boolean stuffed;

    /** Octets as the mailbox holds them: the reply encoder stuffs them. */
    public ContentChunk(ByteBuf content) {
        this(content, false);
    }

    private ContentChunk(ByteBuf content, boolean stuffed) {
        super(content);
        this.stuffed = stuffed;
    }

    /** Octets as the server sent them, stuffing dots and all: the reply encoder writes them as they are. */
    public static ContentChunk asSent(ByteBuf content) {
        return new ContentChunk(content, true);
    }

    /** Whether the octets are still dot-stuffed, as on the wire. */
    public boolean stuffed() {
        return stuffed;
    }

    @Override
    public ContentChunk replace(ByteBuf content) {
        return new ContentChunk(content, stuffed);
    }

    @Override
    public ContentChunk retain() {
        super.retain();
        return this;
    }
}
