package org.popbridge.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The scripted POP3 server the start-up warm-up relays from, in process on loopback: a fixed
 * maildrop of small messages (one with a dot-stuffed line) and a few large ones, answered from
 * bytes built once. It speaks just enough of RFC 1939 and RFC 2449 for a relayed session.
 */
final class WarmUpMailbox extends SimpleChannelInboundHandler<ByteBuf> {

    /** Messages 1..SMALL are about 4 KB, the next LARGE about 256 KB. */
    static final int SMALL = 8;
    static final int LARGE = 2;
    static final int SMALL_OCTETS = 4 * 1024;
    static final int LARGE_OCTETS = 256 * 1024;

    private static final byte[] SMALL_REPLY = retrReply(SMALL_OCTETS);
    private static final byte[] LARGE_REPLY = retrReply(LARGE_OCTETS);
    private static final byte[] LISTING = listing(false);
    private static final byte[] UIDL = listing(true);
    private static final int MESSAGES = SMALL + LARGE;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        reply(ctx, "+OK warm-up ready\r\n");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        String text = line.toString(StandardCharsets.US_ASCII).trim();
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : text.substring(space + 1).trim();
        switch (verb) {
            case "CAPA" -> reply(ctx, "+OK\r\nPIPELINING\r\nUIDL\r\nTOP\r\nUSER\r\n.\r\n");
            case "USER", "PASS", "NOOP", "RSET" -> reply(ctx, "+OK\r\n");
            case "STAT" -> reply(ctx, "+OK " + MESSAGES + " " + (SMALL * SMALL_REPLY.length + LARGE * LARGE_REPLY.length) + "\r\n");
            case "LIST" -> ctx.writeAndFlush(Unpooled.wrappedBuffer(LISTING));
            case "UIDL" -> ctx.writeAndFlush(Unpooled.wrappedBuffer(UIDL));
            case "RETR" -> retr(ctx, argument);
            case "QUIT" -> ctx.writeAndFlush(Unpooled.copiedBuffer("+OK bye\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            default -> reply(ctx, "-ERR not in the warm-up's script\r\n");
        }
    }

    private static void retr(ChannelHandlerContext ctx, String argument) {
        int number;
        try {
            number = Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            reply(ctx, "-ERR no such message\r\n");
            return;
        }
        if (number < 1 || number > MESSAGES) {
            reply(ctx, "-ERR no such message\r\n");
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(number <= SMALL ? SMALL_REPLY : LARGE_REPLY));
        }
    }

    private static void reply(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** "+OK", a header block, a body of about {@code octets} with a line that starts with a dot (stuffed), ".". */
    private static byte[] retrReply(int octets) {
        StringBuilder text = new StringBuilder("+OK message follows\r\n")
                .append("From: warm-up@localhost\r\nTo: warm-up@localhost\r\nSubject: warm-up\r\n")
                .append("Message-ID: <warm-up@localhost>\r\n\r\n")
                .append("..a line that starts with a dot\r\n");
        while (text.length() < octets) {
            text.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
        }
        return text.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] listing(boolean uids) {
        StringBuilder text = new StringBuilder("+OK\r\n");
        for (int number = 1; number <= MESSAGES; number++) {
            text.append(number).append(' ').append(uids ? "warm-up-" + number
                    : String.valueOf(number <= SMALL ? SMALL_OCTETS : LARGE_OCTETS)).append("\r\n");
        }
        return text.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
