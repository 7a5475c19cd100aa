package org.popbridge.proxy.core.octets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OctetSearchTest {

    /** Octets next to the sought ones and the SWAR test's edge cases: zero, 0x80, 0xFF, one off. */
    private static final byte[] NOISE = {0, 1, (byte) 0x80, (byte) 0xFF, (byte) 0x7F, '-', '/', '\r', 'A', (byte) 0xAE};

    private static int naive(byte[] octets, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (octets[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] noise(Random random, int length) {
        byte[] octets = new byte[length];
        for (int i = 0; i < length; i++) {
            octets[i] = NOISE[random.nextInt(NOISE.length)];
        }
        return octets;
    }

    private static void agreesEverywhere(ByteBufAllocator allocator, boolean direct) {
        Random random = new Random(15);
        for (int round = 0; round < 400; round++) {
            int length = random.nextInt(300);
            byte[] octets = noise(random, length);
            // Zero to three matches, anywhere: in a long's first or last octet, in the tail, at the ends.
            for (int k = random.nextInt(4); k > 0 && length > 0; k--) {
                octets[random.nextInt(length)] = '.';
            }
            ByteBuf buf = direct ? allocator.directBuffer(length + 7) : allocator.heapBuffer(length + 7);
            try {
                buf.writeZero(random.nextInt(8)).readerIndex(buf.writerIndex());
                int offset = buf.writerIndex();
                buf.writeBytes(octets);
                int from = random.nextInt(length + 1);
                int to = from + random.nextInt(length - from + 1);
                assertEquals(shift(naive(octets, from, to, (byte) '.'), offset),
                        OctetSearch.indexOf(buf, offset + from, offset + to, (byte) '.'),
                        "round " + round + ", " + from + ".." + to + " of " + length);
            } finally {
                buf.release();
            }
        }
    }

    private static int shift(int index, int offset) {
        return index < 0 ? -1 : index + offset;
    }

    @Test
    void directUnpooledBuffersAgreeWithASimpleLoop() {
        agreesEverywhere(UnpooledByteBufAllocator.DEFAULT, true);
    }

    @Test
    void directPooledBuffersAgreeWithASimpleLoop() {
        agreesEverywhere(PooledByteBufAllocator.DEFAULT, true);
    }

    @Test
    void theAdaptiveAllocatorsBuffersAgreeWithASimpleLoop() {
        agreesEverywhere(ByteBufAllocator.DEFAULT, true);
    }

    @Test
    void heapBuffersAgreeWithASimpleLoop() {
        agreesEverywhere(UnpooledByteBufAllocator.DEFAULT, false);
    }

    @Test
    void everyPositionOfTheOnlyMatchIsFound() {
        for (int length = 1; length <= 100; length++) {
            for (int at = 0; at < length; at++) {
                ByteBuf buf = Unpooled.directBuffer(length);
                try {
                    for (int i = 0; i < length; i++) {
                        buf.writeByte(i == at ? '\n' : '\r');
                    }
                    assertEquals(at, OctetSearch.indexOf(buf, 0, length, (byte) '\n'));
                    assertEquals(-1, OctetSearch.indexOf(buf, at + 1, length, (byte) '\n'));
                    assertEquals(-1, OctetSearch.indexOf(buf, 0, at, (byte) '\n'));
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void aSliceIsSearchedByItsOwnIndices() {
        ByteBuf whole = Unpooled.directBuffer(100);
        try {
            for (int i = 0; i < 100; i++) {
                whole.writeByte(i == 10 || i == 70 ? '.' : 'x');
            }
            ByteBuf slice = whole.slice(20, 80);
            assertEquals(50, OctetSearch.indexOf(slice, 0, 80, (byte) '.'));
            assertEquals(-1, OctetSearch.indexOf(slice, 51, 80, (byte) '.'));
        } finally {
            whole.release();
        }
    }
}
