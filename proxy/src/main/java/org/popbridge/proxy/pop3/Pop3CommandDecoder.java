package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.popbridge.proxy.core.octets.CommandLines;
import org.popbridge.proxy.core.octets.LineText;

/**
 * Splits the client's byte stream into {@link Pop3Command} lines (CRLF, or a bare LF from
 * sloppy clients). A line over the limit is discarded up to its end and reported once as
 * {@link OverlongLine}, so the session can answer -ERR and go on.
 */
public final class Pop3CommandDecoder extends ByteToMessageDecoder {

    /** RFC 2449 section 4: a command line is at most 255 octets including CRLF. */
    public static final int RFC2449_COMMAND_LIMIT = 255;

    private volatile int lineLimit;
    private final CommandLines lines = new CommandLines();

    public Pop3CommandDecoder(int lineLimit) {
        this.lineLimit = requirePositive(lineLimit);
    }

    /** Changes the limit for the following lines (AUTH continuations may be longer than commands). */
    public void lineLimit(int lineLimit) {
        this.lineLimit = requirePositive(lineLimit);
    }

    /**
     * Throws away every byte already received but not yet decoded. Called when STLS is
     * accepted: anything the client sent before the TLS handshake must not become a command.
     */
    public void discardBufferedInput() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        lines.reset();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // At most one line per call: netty hands it on before calling decode again, so the
        // session can discard the rest (STLS) or change the limit (AUTH) before the next line.
        int limit = lineLimit;
        int lf = lines.next(in, limit);
        if (lf == CommandLines.OVERLONG) {
            out.add(new OverlongLine(limit));
        } else if (lf != CommandLines.MORE) {
            out.add(new Pop3Command(LineText.take(in, lf)));
        }
    }

    private static int requirePositive(int limit) {
        if (limit < 3) {
            throw new IllegalArgumentException("line limit must be at least 3 octets, got " + limit);
        }
        return limit;
    }
}
