package org.popbridge.proxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A message in a test mailbox: its exact octets, possibly generated on the fly so none is held whole. */
public interface MessageSource {

    /** Octets as the mailbox holds them (RFC 1939 size, CRLF counted). */
    long size();

    /** Writes the message octets. */
    void writeTo(OutputStream out) throws IOException;

    static MessageSource of(byte[] octets) {
        byte[] copy = octets.clone();
        return new MessageSource() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(copy);
            }

            @Override
            public String toString() {
                return "message of " + copy.length + " octets";
            }
        };
    }

    static MessageSource of(String latin1) {
        return of(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * A large message: a header block then {@code bodyOctets} of repeating 76-column lines
     * (like a base64 attachment), produced while writing.
     */
    static MessageSource generated(long bodyOctets) {
        byte[] header = ("From: big@example.org\r\nTo: user@example.org\r\nSubject: large\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[78];
        for (int i = 0; i < 76; i++) {
            line[i] = (byte) "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charAt(i % 64);
        }
        line[76] = '\r';
        line[77] = '\n';
        long lines = bodyOctets / line.length;
        return new MessageSource() {
            @Override
            public long size() {
                return header.length + lines * line.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(header);
                byte[] block = new byte[line.length * 512];
                for (int i = 0; i < 512; i++) {
                    System.arraycopy(line, 0, block, i * line.length, line.length);
                }
                long remaining = lines;
                while (remaining > 0) {
                    int n = (int) Math.min(512, remaining);
                    out.write(block, 0, n * line.length);
                    remaining -= n;
                }
            }

            @Override
            public String toString() {
                return "generated message of " + size() + " octets";
            }
        };
    }

    /** The whole message, for small ones. */
    default byte[] bytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static boolean sameOctets(MessageSource a, byte[] b) {
        return Arrays.equals(a.bytes(), b);
    }
}
