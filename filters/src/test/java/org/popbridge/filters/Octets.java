package org.popbridge.filters;

import java.nio.charset.StandardCharsets;

/** Test shorthand: header text written as a Java string, one char per octet. */
final class Octets {

    private Octets() {}

    static byte[] of(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Every octet but CR and LF, so a value holding them tests that 8-bit data round-trips. */
    static String allOctetsButLineBreaks() {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c <= 0xFF; c++) {
            if (c != '\r' && c != '\n') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
