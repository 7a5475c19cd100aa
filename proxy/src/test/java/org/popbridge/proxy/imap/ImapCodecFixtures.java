package org.popbridge.proxy.imap;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Shared pieces of the IMAP codec tests. Octet strings are ISO-8859-1 {@code String}s:
 * one char per octet, so every byte survives and AssertJ shows readable diffs.
 */
final class ImapCodecFixtures {

    private ImapCodecFixtures() {
    }

    static byte[] octets(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }

    static String latin1(ByteBuf buf) {
        return buf.toString(ISO_8859_1);
    }

    static String latin1(byte[] octets) {
        return new String(octets, ISO_8859_1);
    }

    /** Every octet 0x00-0xFF, in order. */
    static String allOctets() {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b <= 0xFF; b++) {
            s.append((char) b);
        }
        return s.toString();
    }

    static String visible(String latin1) {
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

    /** Cuts {@code s} at the given ascending positions. */
    static List<String> cut(String s, int... points) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int point : points) {
            pieces.add(s.substring(from, point));
            from = point;
        }
        pieces.add(s.substring(from));
        return pieces;
    }

    static List<String> byteByByte(String s) {
        return s.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }

    static Stream<List<String>> everySplit(String s) {
        return IntStream.rangeClosed(0, s.length()).mapToObj(i -> cut(s, i));
    }

    static EmbeddedChannel channel(TrackingAllocator allocator, ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(handlers);
        return channel;
    }

    static void writeInbound(EmbeddedChannel channel, TrackingAllocator allocator, List<String> pieces) {
        for (String piece : pieces) {
            channel.writeInbound(allocator.copyOf(piece));
        }
    }

    /**
     * Reads everything the channel passed on; consecutive {@link LiteralChunk}s are joined
     * into one {@link Literal} and released.
     */
    static List<Object> drain(EmbeddedChannel channel) {
        List<Object> events = new ArrayList<>();
        StringBuilder literal = null;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof LiteralChunk chunk) {
                try {
                    assertThat(chunk.content().isReadable()).as("the decoder never passes on an empty chunk").isTrue();
                    if (literal == null) {
                        literal = new StringBuilder();
                    }
                    literal.append(latin1(chunk.content()));
                } finally {
                    chunk.release();
                }
                continue;
            }
            if (literal != null) {
                events.add(new Literal(literal.toString()));
                literal = null;
            }
            events.add(msg);
        }
        if (literal != null) {
            events.add(new Literal(literal.toString()));
        }
        return events;
    }

    static ResponseLine line(String text) {
        return ResponseLine.complete(text);
    }

    static ResponseLine lineWithLiteral(String text, long size, boolean afterLiteral) {
        return new ResponseLine(text, size, afterLiteral);
    }

    static ResponseLine tail(String text) {
        return new ResponseLine(text, ResponseLine.NO_LITERAL, true);
    }

    /** A literal as received, joined from its chunks. */
    record Literal(String latin1) {
        @Override
        public String toString() {
            return "Literal[" + visible(latin1) + "]";
        }
    }

    /** Unpooled buffers that are remembered, so a test can assert each one was released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(buf);
            return buf;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(buf);
            return buf;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        ByteBuf copyOf(String latin1) {
            byte[] octets = octets(latin1);
            return heapBuffer(Math.max(octets.length, 1)).writeBytes(octets);
        }

        /** Octets held by buffers not yet released. */
        long heldCapacity() {
            allocated.removeIf(b -> b.refCnt() == 0);
            return allocated.stream().mapToLong(ByteBuf::capacity).sum();
        }

        void assertAllReleased() {
            List<String> unreleased = allocated.stream()
                    .filter(b -> b.refCnt() > 0)
                    .map(b -> "refCnt=" + b.refCnt() + " " + visible(b.toString(0, Math.min(b.writerIndex(), 40), ISO_8859_1)))
                    .toList();
            assertThat(unreleased).as("buffers never released").isEmpty();
        }
    }
}
