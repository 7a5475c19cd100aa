package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Octets of a message after DATA as the message holds them: dot-stuffing undone (RFC 5321
 * section 4.5.2), no terminator. The last chunk of a message ends with the CRLF that precedes
 * the terminating ".".
 */
public final class MessageChunk extends DefaultByteBufHolder implements MessageData {

    public MessageChunk(ByteBuf content) {
        super(content);
    }

    @Override
    public MessageChunk replace(ByteBuf content) {
        return new MessageChunk(content);
    }

    @Override
    public MessageChunk retain() {
        super.retain();
        return this;
    }
}
