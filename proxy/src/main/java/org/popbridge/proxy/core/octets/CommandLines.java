package org.popbridge.proxy.core.octets;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds a client's command lines in what it sent, never holding more than a line's limit of
 * octets: a line longer than the limit is reported once and thrown away as it arrives, up to
 * and with its LF, so a client that never ends its line costs no memory. One per connection
 * (it remembers that it is inside such a line); the POP3 and SMTP command decoders share it.
 */
public final class CommandLines {

    /** {@link #next}: no whole line yet; wait for more octets. */
    public static final int MORE = -1;
    /** {@link #next}: a line longer than the limit, thrown away (or being thrown away as it comes): report it. */
    public static final int OVERLONG = -2;

    /** Inside an overlong line already reported: its octets are skipped up to its LF. */
    private boolean discarding;

    /**
     * The index of the next line's LF in {@code in}, or {@link #MORE}, or {@link #OVERLONG};
     * octets of an overlong line are skipped. The caller takes the line ({@link LineText#take}).
     *
     * @param limit the most octets a line may have, its CRLF included
     */
    public int next(ByteBuf in, int limit) {
        while (in.isReadable()) {
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            if (discarding) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                    return MORE;
                }
                in.readerIndex(lf + 1);
                discarding = false;
                continue;
            }
            if (lf < 0) {
                // Without its LF the line is already at least limit + 1 octets: never buffer more.
                if (in.readableBytes() >= limit) {
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                    return OVERLONG;
                }
                return MORE;
            }
            if (lf + 1 - in.readerIndex() > limit) {
                in.readerIndex(lf + 1);
                return OVERLONG;
            }
            return lf;
        }
        return MORE;
    }

    /** Forgets an overlong line in progress: the octets before a TLS handshake are dropped whole. */
    public void reset() {
        discarding = false;
    }
}
