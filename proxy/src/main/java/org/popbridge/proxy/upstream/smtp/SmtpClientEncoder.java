package org.popbridge.proxy.upstream.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.popbridge.proxy.core.transport.WireConstant;
import org.popbridge.proxy.smtp.EndOfMessage;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;

/**
 * Writes what popbridge sends a submission server: an {@link SmtpCommand} as its line in
 * ISO-8859-1 with CRLF (RFC 5321 section 4.1.1); {@link MessageChunk}s dot-stuffed (section
 * 4.5.2: a "." starting a line, at the start of the message or after LF, gets another "." in
 * front) across any chunk boundary, unless they come {@link MessageChunk#asSent as sent},
 * stuffed already: those as they are; {@link EndOfMessage} as the end of data "." line
 * (section 4.1.1.4), after a CRLF if the message's octets did not end with one. A raw {@link ByteBuf}
 * (a SASL response line) passes through untouched. Holds the state of the message being
 * written, so one instance per connection.
 */
// Not a MessageToByteEncoder: that would copy every chunk; here data goes out as slices of the chunks it came in.
public final class SmtpClientEncoder extends MessageToMessageEncoder<Object> {

    private static final WireConstant DOT = WireConstant.of(".");
    private static final WireConstant END_OF_DATA = WireConstant.of(".\r\n");
    private static final WireConstant CRLF_END_OF_DATA = WireConstant.of("\r\n.\r\n");

    /** The form of the message being written; it comes in one. */
    private enum Form { NONE, UNSTUFFED, STUFFED }

    /** Past this many pieces a composite is copied into one buffer: cheaper than a buffer per "." line. */
    private static final int MAX_PIECES = 64;

    private boolean inMessage;
    private Form form = Form.NONE;
    private boolean atLineStart = true;
    private boolean endsWithCrLf = true;
    private boolean lastWasCr;

    public SmtpClientEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof SmtpCommand || msg instanceof MessageChunk || msg instanceof EndOfMessage;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof SmtpCommand command) {
            out.add(commandLine(ctx, command));
        } else if (msg instanceof MessageChunk chunk && chunk.stuffed()) {
            data(Form.STUFFED);
            out.add(asStuffed(chunk.content()));
        } else if (msg instanceof MessageChunk chunk) {
            data(Form.UNSTUFFED);
            out.add(stuff(ctx, chunk.content()));
        } else {
            out.add((endsWithCrLf ? END_OF_DATA : CRLF_END_OF_DATA).duplicate());
            inMessage = false;
            form = Form.NONE;
            atLineStart = true;
            endsWithCrLf = true;
            lastWasCr = false;
        }
    }

    private void data(Form chunkForm) {
        if (form != Form.NONE && form != chunkForm) {
            // The stuffing state of one form means nothing to the other: the "." lines would come out wrong.
            throw new IllegalStateException("stuffed and unstuffed data in one message");
        }
        form = chunkForm;
        inMessage = true;
    }

    private ByteBuf commandLine(ChannelHandlerContext ctx, SmtpCommand command) {
        String line = command.line();
        if (inMessage) {
            // The server is reading data: the command would become part of the message.
            throw new IllegalStateException("command inside message data: " + command);
        }
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            // A line end inside would smuggle a second command past whoever built this one.
            throw new IllegalArgumentException("line end inside a command: " + command);
        }
        ByteBuf buf = ctx.alloc().ioBuffer(line.length() + 2);
        buf.writeCharSequence(line, StandardCharsets.ISO_8859_1);
        return buf.writeByte('\r').writeByte('\n');
    }

    /** The chunk's octets with a "." added before each "." that starts a line; slices, not copies. */
    private ByteBuf stuff(ChannelHandlerContext ctx, ByteBuf content) {
        int start = content.readerIndex();
        int end = content.writerIndex();
        if (start == end) {
            return Unpooled.EMPTY_BUFFER;
        }
        CompositeByteBuf pieces = null;
        int runStart = start;
        int index = start;
        // Only a "." can need stuffing: look for dots, not for every line end.
        while (index < end) {
            int dot = content.indexOf(index, end, (byte) '.');
            if (dot < 0) {
                break;
            }
            if (dot == start ? atLineStart : content.getByte(dot - 1) == '\n') {
                if (pieces == null) {
                    pieces = ctx.alloc().compositeBuffer(MAX_PIECES);
                }
                if (dot > runStart) {
                    pieces.addComponent(true, content.retainedSlice(runStart, dot - runStart));
                }
                pieces.addComponent(true, DOT.duplicate());
                runStart = dot;
            }
            index = dot + 1;
        }
        byte last = content.getByte(end - 1);
        atLineStart = last == '\n';
        endsWithCrLf = last == '\n' && (end - 1 > start ? content.getByte(end - 2) == '\r' : lastWasCr);
        lastWasCr = last == '\r';
        // runStart is at most the last added dot's index, so the rest holds at least that ".".
        ByteBuf rest = content.retainedSlice(runStart, end - runStart);
        return pieces == null ? rest : pieces.addComponent(true, rest);
    }

    /** Stuffed octets go out as they are, the same buffer; only the message's last octets are noted for the end. */
    private ByteBuf asStuffed(ByteBuf content) {
        int start = content.readerIndex();
        int end = content.writerIndex();
        if (start == end) {
            return Unpooled.EMPTY_BUFFER;
        }
        byte last = content.getByte(end - 1);
        endsWithCrLf = last == '\n' && (end - 1 > start ? content.getByte(end - 2) == '\r' : lastWasCr);
        lastWasCr = last == '\r';
        return content.retain();
    }
}
