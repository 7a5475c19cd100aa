package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** Octets of a multi-line reply body as the mailbox holds them: no dot-stuffing, no terminator. */
public final class ContentChunk extends DefaultByteBufHolder implements Pop3Reply {

    public ContentChunk(ByteBuf content) {
        super(content);
    }

    @Override
    public ContentChunk replace(ByteBuf content) {
        return new ContentChunk(content);
    }

    @Override
    public ContentChunk retain() {
        super.retain();
        return this;
    }
}
