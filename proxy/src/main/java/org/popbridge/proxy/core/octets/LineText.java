package org.popbridge.proxy.core.octets;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Reads one protocol line out of a buffer, as ISO-8859-1 so every octet survives. */
public final class LineText {

    private LineText() {
    }

    /**
     * The line from the reader index up to {@code lf}, without its CRLF (or bare LF), and
     * moves the reader index past the line end.
     */
    public static String take(ByteBuf in, int lf) {
        String line = in.toString(in.readerIndex(), length(in, lf), StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        return line;
    }

    /** How many octets the line from the reader index up to {@code lf} has, without its CRLF (or bare LF). */
    public static int length(ByteBuf in, int lf) {
        int start = in.readerIndex();
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        return end - start;
    }
}
