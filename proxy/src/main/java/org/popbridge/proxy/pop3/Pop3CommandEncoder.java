package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes a command to a POP3 server: its line as ISO-8859-1, so every octet the client sent survives, then CRLF. */
@ChannelHandler.Sharable
public final class Pop3CommandEncoder extends MessageToByteEncoder<Pop3Command> {

    public static final Pop3CommandEncoder INSTANCE = new Pop3CommandEncoder();

    private Pop3CommandEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pop3Command command, ByteBuf out) {
        out.writeCharSequence(command.line(), StandardCharsets.ISO_8859_1);
        out.writeByte('\r').writeByte('\n');
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Pop3Command command, boolean preferDirect) {
        return ctx.alloc().ioBuffer(command.line().length() + 2);
    }
}
