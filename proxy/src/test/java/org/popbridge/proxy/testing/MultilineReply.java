package org.popbridge.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The lines a client reads from a multi-line reply body (CAPA, bare AUTH, LIST): unstuffed, terminator removed. */
public final class MultilineReply {

    private MultilineReply() {
    }

    /** Splits what {@link RawPop3Client#readBody()} returned into its lines, without CRLF and without the final ".". */
    public static List<String> lines(byte[] wire) {
        String text = new String(DotStuffing.unstuff(wire), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n", -1)));
        // The body ends with CRLF, so the split leaves one empty string after it.
        lines.remove(lines.size() - 1);
        return lines;
    }
}
