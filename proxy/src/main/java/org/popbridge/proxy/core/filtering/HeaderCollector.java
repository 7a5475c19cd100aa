package org.popbridge.proxy.core.filtering;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
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
    private final ByteProcessor blankLine = new BlankLineFinder();
    private byte[] octets;
    private int length;
    private boolean atLineStart = true;
    private boolean crAtLineStart;

    public HeaderCollector(int limit) {
        this.limit = limit;
        this.octets = new byte[Math.min(limit, 2048)];
    }

    /**
     * Copies octets from the buffer up to the end of the header block and advances its reader
     * index past them; what is left readable belongs to the body.
     */
    public Progress offer(ByteBuf content) {
        int room = limit - length;
        int scanned = Math.min(room, content.readableBytes());
        int found = scanned == 0 ? -1 : content.forEachByte(content.readerIndex(), scanned, blankLine);
        int take = found < 0 ? scanned : found + 1 - content.readerIndex();
        ensureRoom(take);
        content.readBytes(octets, length, take);
        length += take;
        if (found >= 0) {
            return Progress.COMPLETE;
        }
        return length == limit && content.isReadable() ? Progress.OVER_LIMIT : Progress.MORE;
    }

    /** The octets gathered so far: the whole block once {@link Progress#COMPLETE}. */
    public byte[] octets() {
        return Arrays.copyOf(octets, length);
    }

    /** Tracks line starts across calls; stops on the LF of a line that is empty, or only CR. */
    private final class BlankLineFinder implements ByteProcessor {
        @Override
        public boolean process(byte b) {
            if (b == '\n') {
                boolean blank = atLineStart || crAtLineStart;
                atLineStart = true;
                crAtLineStart = false;
                return !blank;
            }
            crAtLineStart = atLineStart && b == '\r';
            atLineStart = false;
            return true;
        }
    }

    private void ensureRoom(int more) {
        if (length + more > octets.length) {
            octets = Arrays.copyOf(octets, Math.min(limit, Math.max(length + more, octets.length * 2)));
        }
    }
}
