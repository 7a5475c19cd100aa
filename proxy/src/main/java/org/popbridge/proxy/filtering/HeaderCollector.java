package org.popbridge.proxy.filtering;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Gathers a message's header block from the body chunks of a RETR or TOP reply, up to and
 * including the blank line that ends it (RFC 5322 section 2.1), across any chunk boundary.
 * It holds at most the limit: a longer block is not filtered.
 */
public final class HeaderCollector {

    /** What {@link #offer} found. */
    public enum Progress { MORE, COMPLETE, OVER_LIMIT }

    private final int limit;
    private byte[] octets = new byte[1024];
    private int length;
    private boolean atLineStart = true;
    private boolean crAtLineStart;

    public HeaderCollector(int limit) {
        this.limit = limit;
    }

    /**
     * Copies octets from the buffer up to the end of the header block and advances its reader
     * index past them; what is left readable belongs to the body.
     */
    public Progress offer(ByteBuf content) {
        while (content.isReadable()) {
            if (length == limit) {
                return Progress.OVER_LIMIT;
            }
            byte b = content.readByte();
            append(b);
            if (blankLineEnds(b)) {
                return Progress.COMPLETE;
            }
        }
        return Progress.MORE;
    }

    /** The octets gathered so far: the whole block once {@link Progress#COMPLETE}. */
    public byte[] octets() {
        return Arrays.copyOf(octets, length);
    }

    /** Tracks line starts: a line that is empty, or only CR, ends the block. */
    private boolean blankLineEnds(byte b) {
        if (b == '\n') {
            boolean blank = atLineStart || crAtLineStart;
            atLineStart = true;
            crAtLineStart = false;
            return blank;
        }
        crAtLineStart = atLineStart && b == '\r';
        atLineStart = false;
        return false;
    }

    private void append(byte b) {
        if (length == octets.length) {
            octets = Arrays.copyOf(octets, Math.min(limit, octets.length * 2));
        }
        octets[length++] = b;
    }
}
