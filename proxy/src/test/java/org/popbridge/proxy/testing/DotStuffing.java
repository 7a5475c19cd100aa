package org.popbridge.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * RFC 1939 section 3 byte stuffing, written independently of the proxy's codecs so tests
 * can judge them.
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    /** An output stream that doubles a "." at the start of each line. */
    public static final class StuffingStream extends FilterOutputStream {
        private boolean atLineStart = true;
        private int last = -1;

        public StuffingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (atLineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            atLineStart = b == '\n';
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        /** Ends the body: CRLF if the message did not end with one, then ".CRLF". */
        public void terminate() throws IOException {
            if (last != '\n') {
                out.write('\r');
                out.write('\n');
            }
            out.write(new byte[] {'.', '\r', '\n'});
        }
    }

    /** The on-the-wire form of a body: stuffed and terminated. */
    public static byte[] stuffAndTerminate(byte[] body) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StuffingStream stuffing = new StuffingStream(wire);
        try {
            stuffing.write(body, 0, body.length);
            stuffing.terminate();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return wire.toByteArray();
    }

    /** The body a client reads from a stuffed, terminated wire form (the terminator removed). */
    public static byte[] unstuff(byte[] wire) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean atLineStart = true;
        int end = wire.length - 3;
        for (int i = 0; i < end; i++) {
            if (atLineStart && wire[i] == '.') {
                atLineStart = false;
                continue;
            }
            body.write(wire[i]);
            atLineStart = wire[i] == '\n';
        }
        return body.toByteArray();
    }
}
