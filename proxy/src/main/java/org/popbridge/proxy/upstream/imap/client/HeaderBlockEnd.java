package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Watches a BODY[HEADER] literal stream by, to tell whether the blank line that ends a header
 * block came with it. RFC 9051 section 6.4.5 has BODY[HEADER] end with the blank line; GreenMail
 * leaves it out, so a header ending in one CRLF needs a second one, else what follows would run
 * into the header. Not when the header is the whole message (as long as its RFC822.SIZE): a
 * message without a body has no blank line.
 */
final class HeaderBlockEnd {

    private long received;
    /** The last four octets received, oldest in the high byte. */
    private int tail;

    /** Notes the octets of {@code chunk}, without reading it. */
    void saw(ByteBuf chunk) {
        received += chunk.readableBytes();
        for (int i = Math.max(chunk.readerIndex(), chunk.writerIndex() - 4); i < chunk.writerIndex(); i++) {
            tail = (tail << 8) | (chunk.getByte(i) & 0xFF);
        }
    }

    /** The CRLF that completes the blank line, or null when the header block seen needs none. */
    ByteBuf missingBlankLine(long messageSize) {
        boolean endsInCrlf = (tail & 0xFFFF) == 0x0D0A;
        boolean endsInBlankLine = tail == 0x0D0A0D0A || received == 2 && endsInCrlf;
        if (endsInCrlf && !endsInBlankLine && received != messageSize) {
            return Unpooled.wrappedBuffer(new byte[] {'\r', '\n'});
        }
        return null;
    }
}
