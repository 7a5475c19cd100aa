package org.popbridge.proxy.cli;

import java.util.Arrays;

/**
 * A saved message (.eml) as a POP3 server would serve it: the header block up to and including
 * the blank line that ends it (RFC 5322 section 2.1), the body after it, and the size LIST
 * would report.
 *
 * @param size the message's octets with every bare LF counted as CRLF, as on the wire (RFC 1939 section 3)
 */
record MessageFile(byte[] headers, byte[] body, long size) {

    /** Splits a message, whether its lines end in CRLF or in LF alone; without a blank line it is all headers. */
    static MessageFile of(byte[] octets) {
        int end = headerEnd(octets);
        return new MessageFile(Arrays.copyOfRange(octets, 0, end), Arrays.copyOfRange(octets, end, octets.length),
                wireSize(octets));
    }

    /** The header block's size on the wire, which is what header-limit is compared with. */
    long headerWireSize() {
        return wireSize(headers);
    }

    private static int headerEnd(byte[] octets) {
        for (int i = 0; i < octets.length; i++) {
            boolean lineStart = i == 0 || octets[i - 1] == '\n';
            if (lineStart && octets[i] == '\n') {
                return i + 1;
            }
            if (lineStart && octets[i] == '\r' && i + 1 < octets.length && octets[i + 1] == '\n') {
                return i + 2;
            }
        }
        return octets.length;
    }

    private static long wireSize(byte[] octets) {
        long size = octets.length;
        for (int i = 0; i < octets.length; i++) {
            if (octets[i] == '\n' && (i == 0 || octets[i - 1] != '\r')) {
                size++;
            }
        }
        return size;
    }
}
