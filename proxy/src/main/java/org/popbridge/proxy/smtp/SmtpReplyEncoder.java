package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes replies to the client (RFC 5321 section 4.2): every line but the last as code "-" text,
 * the last as code SP text, each ending in CRLF. The SP is written even when the text is empty
 * ("250 \r\n"): section 4.2 describes the last line as the code "followed immediately by
 * &lt;SP&gt;, optionally some text", and clients must accept it. Text is written as ISO-8859-1,
 * as commands are read, so any octet the upstream sent is relayed unchanged. Text holding CR or
 * LF is refused (the write fails with an {@link EncoderException}) rather than split.
 */
@Sharable
public final class SmtpReplyEncoder extends MessageToByteEncoder<SmtpReply> {

    public SmtpReplyEncoder() {
        super(SmtpReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        List<String> lines = reply.lines();
        String code = Integer.toString(reply.code());
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                // A line end inside the text would let it forge a reply of its own.
                throw new EncoderException("reply text contains CR or LF: " + reply.code());
            }
            out.writeCharSequence(code, StandardCharsets.ISO_8859_1);
            out.writeByte(i < lines.size() - 1 ? '-' : ' ');
            out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
            out.writeByte('\r').writeByte('\n');
        }
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, SmtpReply reply, boolean preferDirect) {
        // Exact size: code, separator and CRLF add 6 octets to each line's text.
        int size = 0;
        for (String line : reply.lines()) {
            size += line.length() + 6;
        }
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }
}
