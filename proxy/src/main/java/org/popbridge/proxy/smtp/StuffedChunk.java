package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Octets of a message after DATA as they go on the wire: dot-stuffed (RFC 5321 section 4.5.2),
 * no terminator, exactly as the unstuffed {@link MessageChunk}s of the same data would be stuffed
 * again, so a relay can send them on as they are. The last chunk of a message ends with the CRLF
 * that precedes the terminating ".".
 */
public final class StuffedChunk extends DefaultByteBufHolder implements MessageData {

    public StuffedChunk(ByteBuf content) {
        super(content);
    }

    @Override
    public StuffedChunk replace(ByteBuf content) {
        return new StuffedChunk(content);
    }

    @Override
    public StuffedChunk retain() {
        super.retain();
        return this;
    }
}
