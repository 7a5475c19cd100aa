package org.popbridge.proxy.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * A few fixed octets that codecs write on every connection (a stuffing ".", a terminator line),
 * held once per process: direct, because a heap buffer would be copied into a direct one on
 * every write (and would make netty copy any composite it sits in); read-only, because every
 * connection shares it; unreleasable, because whoever writes it releases it. It is never handed
 * out itself, only as a {@link #duplicate()} with indices of its own: a write moves the reader
 * index of what it writes, which on the shared buffer would empty it for every other connection.
 */
public final class WireConstant {

    private final ByteBuf octets;

    private WireConstant(ByteBuf octets) {
        this.octets = octets;
    }

    /**
     * The octets of {@code text}, one per character; a character above 0xFF is refused rather
     * than written as '?', as an ISO-8859-1 encoder would.
     */
    public static WireConstant of(String text) {
        // The JDK's memory, not an allocator's: it is freed by the collector if a constant is
        // ever dropped (a test's), so netty's leak detector has nothing to track.
        ByteBuffer memory = ByteBuffer.allocateDirect(text.length());
        for (int i = 0; i < text.length(); i++) {
            char octet = text.charAt(i);
            if (octet > 0xFF) {
                throw new IllegalArgumentException("not an octet at " + i + " of a wire constant");
            }
            memory.put((byte) octet);
        }
        memory.flip();
        return new WireConstant(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory).asReadOnly()));
    }

    /** The octets to write once: sharing their memory, reading from the start, freed by nothing. */
    public ByteBuf duplicate() {
        return octets.duplicate();
    }
}
