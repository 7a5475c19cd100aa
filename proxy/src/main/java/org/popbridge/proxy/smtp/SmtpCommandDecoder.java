package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.popbridge.proxy.core.octets.CommandLines;
import org.popbridge.proxy.core.octets.LineText;
import org.popbridge.proxy.core.octets.OctetSearch;
import org.popbridge.proxy.core.transport.WireConstant;

/**
 * The client's side of a submission connection: command lines become {@link SmtpCommand}
 * (CRLF, or a bare LF from sloppy clients; a line over the limit is discarded up to its end and
 * reported once as {@link SmtpOverlongLine}), and after DATA is accepted the message becomes
 * {@link MessageChunk}s (unstuffed, or {@link MessageChunk#asSent as sent}) followed by {@link EndOfMessage}.
 *
 * <p>After a DATA or STARTTLS command the decoder holds everything that follows until the session
 * decides: {@link #expectMessage()} or {@link #expectStuffedMessage()} once it has answered 354
 * (RFC 5321 section 4.1.1.4),
 * {@link #resumeCommands()} if the command was refused, {@link #discardBufferedInput()} once
 * STARTTLS is accepted (RFC 3207 section 6: nothing sent before the handshake may be obeyed).
 * These methods may be called at any time; off the event loop they are run on it.
 *
 * <p>Message data is streamed: each chunk is a slice of what arrived with the stuffing dots
 * removed (RFC 5321 section 4.5.2), so memory does not grow with the message. For a relay that
 * does not read the message, {@link #expectStuffedMessage()} passes the data on still stuffed,
 * as slices of what arrived, normally one per read: the octets a re-stuffing of the unstuffed
 * chunks would give, so the two forms reach the server identical. Lines end at CRLF
 * only: the data ends at CRLF "." CRLF and nothing else, and a bare LF neither starts a line nor
 * ends the data, so "\n.\r\n" and the like cannot smuggle a second message past the upstream
 * (SMTP smuggling, CVE-2023-51764). A connection that closes mid-message produces no end marker.
 */
public final class SmtpCommandDecoder extends ByteToMessageDecoder {

    /** RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets including CRLF. */
    public static final int RFC5321_COMMAND_LIMIT = 512;

    private enum Mode { COMMANDS, HELD_AFTER_DATA, HELD_AFTER_STARTTLS, MESSAGE, STUFFED_MESSAGE }

    /** What a "." after a bare LF becomes in stuffed data: the content's "." with a stuffing "." before it. */
    private static final WireConstant STUFFED_DOT = WireConstant.of("..");

    private volatile int lineLimit;
    private Mode mode = Mode.COMMANDS;
    private final CommandLines lines = new CommandLines();
    /** In MESSAGE mode: the next octet starts a line (message start, or just after CRLF). */
    private boolean atLineStart;
    /** In MESSAGE mode: the last octet consumed was CR, so an LF first in the next buffer ends a line. */
    private boolean afterCr;
    /** In STUFFED_MESSAGE mode: the last octet consumed was an LF without CR before it. */
    private boolean afterBareLf;
    private long messageOctets;
    private boolean decoding;
    private ChannelHandlerContext ctx;

    public SmtpCommandDecoder() {
        this(RFC5321_COMMAND_LIMIT);
    }

    public SmtpCommandDecoder(int lineLimit) {
        this.lineLimit = requireLimit(lineLimit);
        setCumulator(this::cumulate);
    }

    /** Changes the limit from the next line on (AUTH responses may be longer than commands, RFC 4954 section 4). */
    public void lineLimit(int lineLimit) {
        this.lineLimit = requireLimit(lineLimit);
    }

    /**
     * The session answered 354 to the DATA just decoded: what follows is the message (RFC 5321
     * section 4.1.1.4). Resets {@link #messageOctets()}.
     *
     * @throws IllegalStateException if the last command decoded was not DATA
     */
    public void expectMessage() {
        onEventLoop(() -> startMessage(Mode.MESSAGE));
    }

    /**
     * As {@link #expectMessage()}, for a relay that sends the message on without reading it: the
     * data comes {@link MessageChunk#asSent as sent}, still stuffed. {@link #messageOctets()} still counts the message's own
     * octets, stuffing dots not counted, so size limits are the same in both forms.
     *
     * @throws IllegalStateException if the last command decoded was not DATA
     */
    public void expectStuffedMessage() {
        onEventLoop(() -> startMessage(Mode.STUFFED_MESSAGE));
    }

    private void startMessage(Mode form) {
        if (mode != Mode.HELD_AFTER_DATA) {
            throw new IllegalStateException("a message expected without a DATA command waiting, mode " + mode);
        }
        mode = form;
        atLineStart = true;
        afterCr = false;
        afterBareLf = false;
        messageOctets = 0;
        decodeBuffered();
    }

    /**
     * The DATA or STARTTLS just decoded was refused: what follows is read as commands.
     *
     * @throws IllegalStateException while a message is being read
     */
    public void resumeCommands() {
        onEventLoop(() -> {
            if (mode == Mode.MESSAGE || mode == Mode.STUFFED_MESSAGE) {
                throw new IllegalStateException("resumeCommands() in the middle of a message");
            }
            mode = Mode.COMMANDS;
            decodeBuffered();
        });
    }

    /**
     * Throws away every octet received but not yet decoded and goes on reading commands. Called
     * when STARTTLS is accepted: anything the client sent before the TLS handshake must not
     * become a command (RFC 3207 section 6).
     */
    public void discardBufferedInput() {
        onEventLoop(() -> {
            ByteBuf buffered = internalBuffer();
            buffered.skipBytes(buffered.readableBytes());
            lines.reset();
            mode = Mode.COMMANDS;
        });
    }

    /** Octets of the current message passed on so far, stuffing dots not counted (for SIZE, RFC 1870). */
    public long messageOctets() {
        return messageOctets;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void callDecode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean outer = decoding;
        decoding = true;
        try {
            super.callDecode(ctx, in, out);
        } finally {
            decoding = outer;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // At most one result per call: netty hands it on before calling decode again, so the
        // session can hold, resume or discard (DATA, STARTTLS) or change the limit (AUTH) in time.
        switch (mode) {
            case COMMANDS -> decodeCommand(in, out);
            case MESSAGE -> decodeMessage(in, out);
            case STUFFED_MESSAGE -> decodeStuffedMessage(in, out);
            default -> {
                // Held: the rest waits for the session's decision.
            }
        }
    }

    private void onEventLoop(Runnable action) {
        if (ctx == null || ctx.executor().inEventLoop()) {
            action.run();
        } else {
            ctx.executor().execute(action);
        }
    }

    /**
     * Joins what is held back with the next read. In a message what is held is at most an
     * undecided "." or ".\r", but the chunks passed on are slices of the same buffer: appended to,
     * that buffer would keep everything before the held octets for as long as each read ends
     * undecided, and grow with the message. So the held octets and the read go to a new buffer.
     */
    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if ((mode != Mode.MESSAGE && mode != Mode.STUFFED_MESSAGE) || !cumulation.isReadable()) {
            return MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
        }
        try {
            return alloc.buffer(cumulation.readableBytes() + in.readableBytes()).writeBytes(cumulation).writeBytes(in);
        } finally {
            cumulation.release();
            in.release();
        }
    }

    /** Decodes what is already buffered, as if it had just arrived. */
    private void decodeBuffered() {
        // Inside callDecode the session was called from our own channelRead: the loop there
        // goes on with the new mode by itself, and a nested read would pull the buffer from under it.
        if (ctx == null || decoding || !internalBuffer().isReadable()) {
            return;
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (DecoderException e) {
            ctx.fireExceptionCaught(e);
        } catch (Exception e) {
            ctx.fireExceptionCaught(new DecoderException(e));
        }
    }

    // ---- command mode

    private void decodeCommand(ByteBuf in, List<Object> out) {
        int limit = lineLimit;
        int lf = lines.next(in, limit);
        if (lf == CommandLines.OVERLONG) {
            out.add(new SmtpOverlongLine(limit));
        } else if (lf != CommandLines.MORE) {
            SmtpCommand command = new SmtpCommand(LineText.take(in, lf));
            command.verb().ifPresent(verb -> {
                if (verb == SmtpVerb.DATA) {
                    mode = Mode.HELD_AFTER_DATA;
                } else if (verb == SmtpVerb.STARTTLS) {
                    mode = Mode.HELD_AFTER_STARTTLS;
                }
            });
            out.add(command);
        }
    }

    // ---- message mode

    /** Passes on the data up to the next "." at a line start, or handles that dot. */
    private void decodeMessage(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (atLineStart && in.getByte(start) == '.') {
            consumeDotAtLineStart(in, start, out);
            return;
        }
        // Only a "." can start what is not content: look for dots, not for every line end.
        int index = start;
        while (index < end) {
            int dot = OctetSearch.indexOf(in, index, end, (byte) '.');
            if (dot < 0) {
                break;
            }
            if (positionOf(in, start, dot) == Position.LINE_START) {
                // Stop there: the next call decides what the dot is.
                emit(in, dot, out);
                atLineStart = true;
                afterCr = false;
                return;
            }
            index = dot + 1;
        }
        atLineStart = positionOf(in, start, end) == Position.LINE_START;
        afterCr = in.getByte(end - 1) == '\r';
        emit(in, end, out);
    }

    /** {@code dot} is the reader index and a '.' starting a line: the end of the data, or a stuffing dot. */
    private void consumeDotAtLineStart(ByteBuf in, int dot, List<Object> out) {
        int available = in.writerIndex() - dot;
        if (available < 2 || (in.getByte(dot + 1) == '\r' && available < 3)) {
            return; // "." or ".\r" so far: wait for the octets that decide.
        }
        if (in.getByte(dot + 1) == '\r' && in.getByte(dot + 2) == '\n') {
            in.readerIndex(dot + 3);
            mode = Mode.COMMANDS;
            out.add(EndOfMessage.INSTANCE);
            return;
        }
        // A stuffing dot (RFC 5321 section 4.5.2): drop it, the rest of the line is content.
        in.readerIndex(dot + 1);
        atLineStart = false;
        afterCr = false;
    }

    // ---- stuffed message mode

    /**
     * Passes on the data as it arrived up to the buffer's end, or up to the next place where it
     * must differ from what the client sent or may end, and handles that place. The client's
     * stuffing is kept where it is what re-stuffing would give (".." at a line start, the usual
     * case); elsewhere the octets sent are those the unstuffing path would send: a "." starting a
     * line that stuffs nothing is dropped, and a "." after a bare LF gets a "." before it (the
     * server may take a bare LF for a line end: SMTP smuggling). Only a "." can need any of this,
     * so the search is for dots, not for every line end: a base64 body has none.
     */
    private void decodeStuffedMessage(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int index = start;
        int stuffingDots = 0;
        while (index < end) {
            int dot = OctetSearch.indexOf(in, index, end, (byte) '.');
            if (dot < 0) {
                index = end;
                break;
            }
            Position position = positionOf(in, start, dot);
            if (position == Position.LINE_START) {
                int available = end - dot;
                if (available < 2 || (in.getByte(dot + 1) == '\r' && available < 3)) {
                    index = dot;
                    break; // "." or ".\r" so far: the octets that decide have not come yet.
                }
                if (in.getByte(dot + 1) == '.') {
                    stuffingDots++;
                    index = dot + 2;
                    continue;
                }
                if (dot > start) {
                    // The end of the data or a "." to drop: the next call, with it first, decides.
                    emitStuffed(in, dot, stuffingDots, out);
                    atLineStart = true;
                    afterBareLf = false;
                    afterCr = false;
                    return;
                }
                if (in.getByte(dot + 1) == '\r' && in.getByte(dot + 2) == '\n') {
                    in.skipBytes(3);
                    mode = Mode.COMMANDS;
                    out.add(EndOfMessage.INSTANCE);
                    return;
                }
                // A "." that stuffs nothing: dropped, as the server would (RFC 5321 section 4.5.2).
                in.skipBytes(1);
                atLineStart = false;
                afterCr = false;
                return;
            }
            if (position == Position.AFTER_BARE_LF) {
                if (dot > start) {
                    emitStuffed(in, dot, stuffingDots, out);
                    atLineStart = false;
                    afterBareLf = true;
                    afterCr = false;
                    return;
                }
                // Stuffed as if the bare LF ended a line; the content's "." counts, its new partner does not.
                in.skipBytes(1);
                messageOctets++;
                out.add(MessageChunk.asSent(STUFFED_DOT.duplicate()));
                afterBareLf = false;
                return;
            }
            index = dot + 1;
        }
        if (index > start) {
            Position next = positionOf(in, start, index);
            atLineStart = next == Position.LINE_START;
            afterBareLf = next == Position.AFTER_BARE_LF;
            afterCr = in.getByte(index - 1) == '\r';
        }
        emitStuffed(in, index, stuffingDots, out);
    }

    /** What comes before an octet of stuffed data, for what a "." there means. */
    private enum Position { LINE_START, AFTER_BARE_LF, INSIDE_LINE }

    /** Where {@code at} is: from the octets before it, or from the state left by earlier buffers if it is {@code start}. */
    private Position positionOf(ByteBuf in, int start, int at) {
        if (at == start) {
            return atLineStart ? Position.LINE_START : afterBareLf ? Position.AFTER_BARE_LF : Position.INSIDE_LINE;
        }
        if (in.getByte(at - 1) != '\n') {
            return Position.INSIDE_LINE;
        }
        boolean cr = at - 1 > start ? in.getByte(at - 2) == '\r' : afterCr;
        return cr ? Position.LINE_START : Position.AFTER_BARE_LF;
    }

    /** Passes on the octets from the reader index to {@code to}, {@code stuffingDots} of them stuffing, as a slice. */
    private void emitStuffed(ByteBuf in, int to, int stuffingDots, List<Object> out) {
        int length = to - in.readerIndex();
        if (length > 0) {
            messageOctets += length - stuffingDots;
            out.add(MessageChunk.asSent(in.readRetainedSlice(length)));
        }
    }

    /** Passes on the octets from the reader index to {@code to} as a slice of the input. */
    private void emit(ByteBuf in, int to, List<Object> out) {
        int length = to - in.readerIndex();
        if (length > 0) {
            messageOctets += length;
            out.add(new MessageChunk(in.readRetainedSlice(length)));
        }
    }

    private static int requireLimit(int limit) {
        if (limit < 3) {
            throw new IllegalArgumentException("line limit must be at least 3 octets, got " + limit);
        }
        return limit;
    }
}
