package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.popbridge.proxy.core.octets.OctetSearch;
import org.popbridge.proxy.core.transport.WireConstant;

/**
 * Writes replies to the client: status lines with CRLF, bodies dot-stuffed (RFC 1939
 * section 3) across any chunk boundary, and the terminating "." line. Chunks without a
 * dot at a line start, and chunks still stuffed as the server sent them, go out as they are,
 * without copying.
 */
public final class Pop3ReplyEncoder extends MessageToMessageEncoder<Pop3Reply> {

    private static final WireConstant CRLF = WireConstant.of("\r\n");
    private static final WireConstant DOT = WireConstant.of(".");
    private static final WireConstant TERMINATOR = WireConstant.of(".\r\n");

    private boolean atLineStart = true;

    public Pop3ReplyEncoder() {
        super(Pop3Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pop3Reply reply, List<Object> out) {
        if (reply instanceof StatusLine status) {
            String line = status.line();
            ByteBuf buf = ctx.alloc().buffer(line.length() + 2);
            buf.writeCharSequence(line, StandardCharsets.ISO_8859_1);
            buf.writeByte('\r').writeByte('\n');
            out.add(buf);
            atLineStart = true;
        } else if (reply instanceof ContentChunk chunk && chunk.stuffed()) {
            ByteBuf content = chunk.content();
            if (content.isReadable()) {
                atLineStart = content.getByte(content.writerIndex() - 1) == '\n';
            }
            out.add(content.retain());
        } else if (reply instanceof ContentChunk chunk) {
            stuff(chunk.content(), out);
            if (out.isEmpty()) {
                // An empty chunk adds no octets, but MessageToMessageEncoder fails the write if nothing is produced.
                out.add(Unpooled.EMPTY_BUFFER);
            }
        } else {
            if (!atLineStart) {
                // A filtered body may end without CRLF; the terminator must start a line.
                out.add(CRLF.duplicate());
            }
            out.add(TERMINATOR.duplicate());
            atLineStart = true;
        }
    }

    /**
     * Only a dot at the start of a line needs stuffing, so this looks for dots, not for line ends
     * (as the decoder does for a body relayed as sent): a body's lines mostly hold none, and an
     * IMAP message or a filtered body is then one search and one slice per chunk.
     */
    private void stuff(ByteBuf content, List<Object> out) {
        int runStart = content.readerIndex();
        int index = runStart;
        int end = content.writerIndex();
        while (index < end) {
            if (atLineStart && content.getByte(index) == '.') {
                if (index > runStart) {
                    out.add(content.retainedSlice(runStart, index - runStart));
                }
                out.add(DOT.duplicate());
                runStart = index;
            }
            // The octet at index is settled; a later dot starts a line if the octet before it is LF.
            int dot = OctetSearch.indexOf(content, index + 1, end, (byte) '.');
            if (dot < 0) {
                atLineStart = content.getByte(end - 1) == '\n';
                index = end;
            } else {
                atLineStart = content.getByte(dot - 1) == '\n';
                index = dot;
            }
        }
        if (end > runStart) {
            out.add(content.retainedSlice(runStart, end - runStart));
        }
    }
}
