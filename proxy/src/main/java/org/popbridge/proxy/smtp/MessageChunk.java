package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Octets of a message after DATA, no terminator: as the message holds them (dot-stuffing undone,
 * RFC 5321 section 4.5.2, for whoever reads the message), or, for a relay that does not look
 * inside, as they go on the wire ({@link #asSent}, dot-stuffed exactly as the unstuffed chunks of
 * the same data would be stuffed again). One message comes in one form. The last chunk of a
 * message ends with the CRLF that precedes the terminating ".".
 */
public final class MessageChunk extends DefaultByteBufHolder implements SmtpInput {

    private final boolean stuffed;

    /** Octets as the message holds them: the client encoder stuffs them. */
    public MessageChunk(ByteBuf content) {
        this(content, false);
    }

    private MessageChunk(ByteBuf content, boolean stuffed) {
        super(content);
        this.stuffed = stuffed;
    }

    /** Octets as they go on the wire, stuffing dots and all: the client encoder writes them as they are. */
    public static MessageChunk asSent(ByteBuf content) {
        return new MessageChunk(content, true);
    }

    /** Whether the octets are still dot-stuffed, as on the wire. */
    public boolean stuffed() {
        return stuffed;
    }

    @Override
    public MessageChunk replace(ByteBuf content) {
        return new MessageChunk(content, stuffed);
    }

    @Override
    public MessageChunk retain() {
        super.retain();
        return this;
    }
}
