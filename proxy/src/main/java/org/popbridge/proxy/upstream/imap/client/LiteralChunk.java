package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Octets of a literal (RFC 9051 section 4.3) exactly as the server sent them: a retained
 * slice of the received buffer, never a copy. The receiver releases it.
 */
public final class LiteralChunk extends DefaultByteBufHolder implements ImapResponsePart {

    public LiteralChunk(ByteBuf content) {
        super(content);
    }

    @Override
    public LiteralChunk replace(ByteBuf content) {
        return new LiteralChunk(content);
    }

    @Override
    public LiteralChunk retain() {
        super.retain();
        return this;
    }
}
