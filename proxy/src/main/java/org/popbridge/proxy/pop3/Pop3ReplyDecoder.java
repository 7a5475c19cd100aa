package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;
import java.util.List;
import org.popbridge.proxy.core.octets.LineText;
import org.popbridge.proxy.core.octets.OctetSearch;

/**
 * Decodes upstream replies into {@link StatusLine}, {@link ContentChunk} and
 * {@link EndOfMultiline}. Bodies are streamed: each chunk is a slice of what arrived,
 * with the stuffing dots (RFC 1939 section 3) removed, so memory does not grow with the
 * message; a body the session relays untouched ({@link ReplyFraming#bodyAsSent}) keeps its
 * dots, in slices as long as what arrived. A body ends only at a real CRLF "." CRLF; a connection that closes before it
 * produces no end marker. A line it cannot frame fails with a {@link DecoderException}, and
 * nothing is decoded after it, not even at the close.
 */
public final class Pop3ReplyDecoder extends ByteToMessageDecoder {

    /** RFC 2449 section 4 allows 512 octets for a reply line; some servers send longer greetings. */
    public static final int DEFAULT_STATUS_LINE_LIMIT = 4096;

    private enum State { STATUS_LINE, BODY, FAILED }

    /** What a '.' at the start of a body line is (RFC 1939 section 3), as far as the octets after it tell. */
    private enum LineStartDot {
        /** ".\r\n": the end of the body. */
        TERMINATOR,
        /** Anything else: a stuffing dot, the rest of the line is content. */
        STUFFING,
        /** "." or ".\r" at the end of what arrived: the next octets decide. */
        UNDECIDED;

        static LineStartDot at(ByteBuf in, int dot) {
            int available = in.writerIndex() - dot;
            if (available < 2) {
                return UNDECIDED;
            }
            if (in.getByte(dot + 1) != '\r') {
                return STUFFING;
            }
            if (available < 3) {
                return UNDECIDED;
            }
            return in.getByte(dot + 2) == '\n' ? TERMINATOR : STUFFING;
        }
    }

    private final ReplyFraming framing;
    private final int statusLineLimit;
    private State state = State.STATUS_LINE;
    private boolean atLineStart;
    /** The body being read goes to the client as sent: stuffing dots stay, chunks are as long as the reads. */
    private boolean asSent;

    public Pop3ReplyDecoder(ReplyFraming framing) {
        this(framing, DEFAULT_STATUS_LINE_LIMIT);
    }

    public Pop3ReplyDecoder(ReplyFraming framing, int statusLineLimit) {
        this.framing = framing;
        this.statusLineLimit = statusLineLimit;
    }

    /** Throws away undecoded bytes: after STLS, what the server sent before the handshake is not trusted. */
    public void discardBufferedInput() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            // One reply step per call: the framing of the next reply depends on the session
            // having seen this one, and netty hands the output on before calling decode again.
            if (state == State.STATUS_LINE) {
                decodeStatusLine(in, out);
                return;
            }
            if (!asSent) {
                // A handler that reads the start of a body (the filters, its header block) may take the rest as sent.
                asSent = framing.bodyAsSent();
            }
            while (in.isReadable() && state == State.BODY) {
                if (!(asSent ? decodeBodyAsSent(in, out) : decodeBody(in, out))) {
                    return;
                }
            }
        } catch (DecoderException e) {
            // Framing is lost: what follows means nothing. Left buffered, it would be decoded at
            // the close (netty decodes what is left), a whole forged multi-line reply included.
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean decodeStatusLine(ByteBuf in, List<Object> out) {
        int lf = in.forEachByte(ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > statusLineLimit) {
                throw new DecoderException("upstream reply line longer than " + statusLineLimit + " octets");
            }
            return false;
        }
        if (lf + 1 - in.readerIndex() > statusLineLimit) {
            throw new DecoderException("upstream reply line longer than " + statusLineLimit + " octets");
        }
        if (!framing.awaitingReply()) {
            throw new DecoderException("upstream sent a reply nobody asked for");
        }
        StatusLine status = StatusLine.parse(LineText.take(in, lf));
        if (status == null) {
            throw new DecoderException("upstream reply without +OK or -ERR");
        }
        boolean multiline = framing.isMultiline(status.status());
        out.add(status);
        if (multiline) {
            state = State.BODY;
            atLineStart = true;
            asSent = framing.bodyAsSent();
        } else if (status.status() != StatusLine.Status.CONTINUATION) {
            framing.replyComplete();
        }
        return true;
    }

    /**
     * Emits the body up to the next place that needs a decision: a line starting with ".".
     * Returns false when it must wait for more bytes to decide (".", ".\r" at the buffer end).
     */
    private boolean decodeBody(ByteBuf in, List<Object> out) {
        int runStart = in.readerIndex();
        int scan = runStart;
        int end = in.writerIndex();
        boolean lineStart = atLineStart;
        while (scan < end) {
            if (lineStart) {
                if (in.getByte(scan) == '.') {
                    emit(in, runStart, scan, out);
                    return consumeDotAtLineStart(in, scan, LineStartDot.at(in, scan), out);
                }
                lineStart = false;
            }
            // The search compares sixteen octets a step; a body is mostly long runs between line ends.
            int lf = OctetSearch.indexOf(in, scan, end, (byte) '\n');
            if (lf < 0) {
                scan = end;
                break;
            }
            scan = lf + 1;
            lineStart = true;
        }
        emit(in, runStart, scan, out);
        atLineStart = lineStart;
        return true;
    }

    /**
     * As {@link #decodeBody}, for a body relayed as sent: only a dot at the start of a line needs
     * a decision, so this looks for dots, not for line ends. Most of a large message is base64,
     * which has no dots at all: a whole read is then one search and one slice.
     */
    private boolean decodeBodyAsSent(ByteBuf in, List<Object> out) {
        int runStart = in.readerIndex();
        int end = in.writerIndex();
        int scan = runStart;
        boolean lineStart = atLineStart;
        while (scan < end) {
            if (lineStart && in.getByte(scan) == '.') {
                LineStartDot kind = LineStartDot.at(in, scan);
                if (kind != LineStartDot.STUFFING) {
                    emit(in, runStart, scan, out);
                    return consumeDotAtLineStart(in, scan, kind, out);
                }
                // A stuffed dot stays: the client undoes it.
                scan++;
                lineStart = false;
                continue;
            }
            int dot = OctetSearch.indexOf(in, scan, end, (byte) '.');
            if (dot < 0) {
                lineStart = in.getByte(end - 1) == '\n';
                scan = end;
                break;
            }
            // At scan itself the dot is mid-line (a line start was handled above); before it, the octet before says.
            lineStart = dot > scan && in.getByte(dot - 1) == '\n';
            scan = lineStart ? dot : dot + 1;
        }
        emit(in, runStart, scan, out);
        atLineStart = lineStart;
        return true;
    }

    /**
     * {@code dot} is the index of a '.' at the start of a line, {@code kind} what it is; everything
     * before it was emitted. Returns false when it must wait for more bytes to decide.
     */
    private boolean consumeDotAtLineStart(ByteBuf in, int dot, LineStartDot kind, List<Object> out) {
        return switch (kind) {
            case UNDECIDED -> {
                in.readerIndex(dot);
                atLineStart = true;
                yield false;
            }
            case TERMINATOR -> {
                in.readerIndex(dot + 3);
                out.add(EndOfMultiline.INSTANCE);
                state = State.STATUS_LINE;
                framing.replyComplete();
                yield true;
            }
            case STUFFING -> {
                // A stuffed dot: drop it, the rest of the line is content.
                in.readerIndex(dot + 1);
                atLineStart = false;
                yield true;
            }
        };
    }

    private void emit(ByteBuf in, int from, int to, List<Object> out) {
        if (to > from) {
            in.readerIndex(from);
            ByteBuf content = in.readRetainedSlice(to - from);
            out.add(asSent ? ContentChunk.asSent(content) : new ContentChunk(content));
        }
    }
}
