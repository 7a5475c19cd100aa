package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;
import java.util.List;
import org.popbridge.proxy.core.octets.LineText;

/**
 * Decodes what an IMAP server sends (RFC 9051 section 2.2.2: untagged and tagged
 * responses, continuation requests) into {@link ResponseLine}, {@link LiteralChunk} and
 * {@link LiteralEnd}. Literals (section 4.3, and literal8 of RFC 3516) are streamed: each
 * chunk is a slice of what arrived, so a 50 MB message body never sits in memory whole.
 * The text between literals is bounded; literal sizes are not, they are longs.
 */
public final class ImapResponseDecoder extends ByteToMessageDecoder {

    /** Longer than any real response line, far shorter than a message: FETCH lists with many flags fit. */
    public static final int DEFAULT_LINE_LIMIT = 64 * 1024;

    private enum State { LINE, LITERAL, FAILED }

    private final int lineLimit;
    private State state = State.LINE;
    private boolean afterLiteral;
    private long literalRemaining;
    /** Octets of the current line already searched for LF, so a slow line is not rescanned from its start. */
    private int scanned;

    public ImapResponseDecoder() {
        this(DEFAULT_LINE_LIMIT);
    }

    /** {@code lineLimit}: the most octets of text, without CRLF, between two literals of a response. */
    public ImapResponseDecoder(int lineLimit) {
        if (lineLimit < 1) {
            throw new IllegalArgumentException("line limit " + lineLimit);
        }
        this.lineLimit = lineLimit;
    }

    /**
     * Throws away undecoded bytes: after STARTTLS, what the server sent before the handshake is not
     * trusted. The framing they set up goes too: the decoder reads every line it has in one call,
     * so injected lines after the OK were already decoded, and one ending in a literal would make
     * the first octets over TLS that literal's.
     */
    public void discardBufferedInput() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        scanned = 0;
        if (state == State.LITERAL) {
            state = State.LINE;
        }
        literalRemaining = 0;
        afterLiteral = false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (in.isReadable()) {
                if (state == State.FAILED) {
                    in.skipBytes(in.readableBytes());
                } else if (state == State.LITERAL) {
                    decodeLiteral(in, out);
                } else if (!decodeLine(in, out)) {
                    return;
                }
            }
        } catch (DecoderException e) {
            // Once framing is lost nothing after it means anything; the session closes the connection.
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean decodeLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.forEachByte(start + scanned, in.readableBytes() - scanned, ByteProcessor.FIND_LF);
        if (lf < 0) {
            scanned = in.readableBytes();
            // One more octet than the limit may be the CR of a line that is just within it.
            if (scanned > lineLimit + 1) {
                throw overlong();
            }
            return false;
        }
        scanned = 0;
        if (LineText.length(in, lf) > lineLimit) {
            throw overlong();
        }
        String text = LineText.take(in, lf);
        LiteralAnnouncement literal;
        try {
            literal = LiteralAnnouncement.atEndOf(text);
        } catch (ImapSyntaxException e) {
            throw new DecoderException("IMAP response with " + e.getMessage());
        }
        boolean continues = afterLiteral;
        if (literal == null) {
            out.add(new ResponseLine(text, ResponseLine.NO_LITERAL, continues));
            afterLiteral = false;
            return true;
        }
        out.add(new ResponseLine(text, literal.size(), continues));
        afterLiteral = true;
        literalRemaining = literal.size();
        if (literalRemaining == 0) {
            out.add(LiteralEnd.INSTANCE);
        } else {
            state = State.LITERAL;
        }
        return true;
    }

    private void decodeLiteral(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(in.readableBytes(), literalRemaining);
        out.add(new LiteralChunk(in.readRetainedSlice(length)));
        literalRemaining -= length;
        if (literalRemaining == 0) {
            out.add(LiteralEnd.INSTANCE);
            state = State.LINE;
        }
    }

    private DecoderException overlong() {
        return new DecoderException("IMAP response line longer than " + lineLimit + " octets between literals");
    }
}
