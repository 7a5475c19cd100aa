package org.popbridge.filters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits header block octets into entries and the blank line that ends them (RFC 5322 section 2.2, 2.2.3). */
final class HeaderParser {

    /** What the octets hold: the entries in order, the blank line ("" if absent), the line end style. */
    record Parsed(List<HeaderEntry> entries, String blankLine, String lineEnd) {}

    private HeaderParser() {}

    static Parsed parse(byte[] octets) {
        // ISO-8859-1 maps each octet to one char and back, so 8-bit octets round-trip.
        String text = new String(octets, StandardCharsets.ISO_8859_1);
        List<HeaderEntry> entries = new ArrayList<>();
        StringBuilder current = null;
        boolean currentIsField = false;
        String blankLine = "";
        int pos = 0;
        while (pos < text.length()) {
            int lf = text.indexOf('\n', pos);
            int end = lf < 0 ? text.length() : lf + 1;
            String line = text.substring(pos, end);
            if (line.equals("\r\n") || line.equals("\n")) {
                if (end != text.length()) {
                    throw new IllegalArgumentException(
                            "octets continue after the blank line that ends the header block, at offset " + end);
                }
                blankLine = line;
            } else if (HeaderField.isWsp(line.charAt(0)) && current != null) {
                current.append(line); // a continuation line belongs to the entry above (RFC 5322 section 2.2.3)
            } else {
                flush(entries, current, currentIsField);
                current = new StringBuilder(line);
                currentIsField = isFieldLine(line);
            }
            pos = end;
        }
        flush(entries, current, currentIsField);
        return new Parsed(entries, blankLine, lineEndStyle(text));
    }

    private static void flush(List<HeaderEntry> entries, StringBuilder current, boolean isField) {
        if (current != null) {
            String raw = current.toString();
            entries.add(isField ? new HeaderField(raw) : new NonFieldLine(raw));
        }
    }

    /** A field starts with a name, optional white space (obsolete syntax, RFC 5322 section 4.5), and a colon. */
    private static boolean isFieldLine(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        int end = colon;
        while (end > 0 && HeaderField.isWsp(line.charAt(end - 1))) {
            end--;
        }
        return HeaderField.isFieldName(line.substring(0, end));
    }

    /** The block's style is its first line end; CRLF, the RFC 5322 line end, when it has none. */
    private static String lineEndStyle(String text) {
        int lf = text.indexOf('\n');
        boolean crlf = lf < 0 || (lf > 0 && text.charAt(lf - 1) == '\r');
        return crlf ? "\r\n" : "\n";
    }
}
