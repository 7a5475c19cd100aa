package org.popbridge.proxy.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What every codec test needs, POP3 or IMAP: octet strings held as ISO-8859-1 {@code String}s
 * (one char per octet, so every byte survives and AssertJ shows readable diffs), input cut at
 * chosen or at every place, and an {@link EmbeddedChannel} whose buffers are all accounted for.
 */
public final class CodecInput {

    private CodecInput() {
    }

    public static byte[] octets(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }

    /** Reads the readable bytes without moving the reader index. */
    public static String latin1(ByteBuf buf) {
        return buf.toString(ISO_8859_1);
    }

    public static String latin1(byte[] octets) {
        return new String(octets, ISO_8859_1);
    }

    /** Reads and releases every buffer written to the channel, joined. */
    public static String drainWritten(EmbeddedChannel channel) {
        StringBuilder written = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            try {
                written.append(latin1(buf));
            } finally {
                buf.release();
            }
        }
        return written.toString();
    }

    /** A string with \r, \n and non-ASCII octets made visible, for failure messages. */
    public static String visible(String latin1) {
        StringBuilder s = new StringBuilder();
        for (char c : latin1.toCharArray()) {
            if (c == '\r') {
                s.append("\\r");
            } else if (c == '\n') {
                s.append("\\n");
            } else if (c < 0x20 || c > 0x7E) {
                s.append(String.format("\\x%02X", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** Cuts {@code s} at the given ascending positions (0 and s.length() give empty pieces). */
    public static List<String> cut(String s, int... points) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int point : points) {
            pieces.add(s.substring(from, point));
            from = point;
        }
        pieces.add(s.substring(from));
        return pieces;
    }

    public static List<String> byteByByte(String s) {
        return s.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }

    /** Every way of cutting {@code s} into two pieces: for i in 0..len. */
    public static Stream<List<String>> everySplit(String s) {
        return IntStream.rangeClosed(0, s.length()).mapToObj(i -> cut(s, i));
    }

    /** Every way of cutting {@code s} into three pieces: {@code cut(s, i, j)} for 0 <= i <= j <= len. */
    public static Stream<List<String>> everyCutInThree(String s) {
        return IntStream.rangeClosed(0, s.length())
                .boxed()
                .flatMap(i -> IntStream.rangeClosed(i, s.length()).mapToObj(j -> cut(s, i, j)));
    }

    /** Where {@code pieces} cut their text, for an assertion's description: "cut at 3 and 7". */
    public static String cutPoints(List<String> pieces) {
        StringBuilder at = new StringBuilder("cut at ");
        int point = 0;
        for (int piece = 0; piece < pieces.size() - 1; piece++) {
            point += pieces.get(piece).length();
            at.append(piece == 0 ? "" : " and ").append(point);
        }
        return at.toString();
    }

    /** An EmbeddedChannel whose handlers allocate from {@code allocator}, so every buffer is accounted for. */
    public static EmbeddedChannel channel(TrackingAllocator allocator, ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(handlers);
        return channel;
    }

    public static void writeInbound(EmbeddedChannel channel, TrackingAllocator allocator, List<String> pieces) {
        for (String piece : pieces) {
            channel.writeInbound(allocator.copyOf(piece));
        }
    }
}
