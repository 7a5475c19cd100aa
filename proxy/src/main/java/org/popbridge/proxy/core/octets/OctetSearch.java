package org.popbridge.proxy.core.octets;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * Finds an octet in a buffer, 32 octets a step. A relayed body is searched whole for the dots
 * that might end it, so this runs over every octet of a large message: netty's
 * {@link ByteBuf#indexOf} does the same SWAR test but reads each long through the buffer's
 * wrappers (an allocator's buffer is a view of a bigger chunk), and the profile of a 10 MB
 * RETR showed that search as a fifth of the event loop's time. Where the buffer has a memory
 * address this reads the memory itself, four longs per step; elsewhere it is netty's search.
 */
public final class OctetSearch {

    /** Below this many octets the setup is not worth it. */
    private static final int DIRECT_MIN = 32;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Reading longs at any address needs Unsafe and a CPU that allows unaligned loads (x86, aarch64). */
    private static final boolean UNSAFE = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();
    private static final boolean BIG_ENDIAN = PlatformDependent.BIG_ENDIAN_NATIVE_ORDER;

    private OctetSearch() {
    }

    /** The index of the first {@code value} in {@code buf} from {@code from} (inclusive) to {@code to} (exclusive), or -1. */
    public static int indexOf(ByteBuf buf, int from, int to, byte value) {
        if (to - from < DIRECT_MIN || !UNSAFE || !buf.hasMemoryAddress()) {
            return buf.indexOf(from, to, value);
        }
        if (from < 0 || to > buf.capacity()) {
            // What netty's indexOf would say for such bounds; the direct read must not go out of the buffer.
            return buf.indexOf(from, to, value);
        }
        long base = buf.memoryAddress();
        long pattern = ONES * (value & 0xFF);
        int i = from;
        // Four longs a step with one test (is an octet of any of them the value?), which C2
        // compiles to half the instructions per octet of the exact search below; a step that
        // holds a match leaves it to that search, which finds the first within these 32.
        for (int last = to - 32; i <= last; i += 32) {
            long a = PlatformDependent.getLong(base + i) ^ pattern;
            long b = PlatformDependent.getLong(base + i + 8) ^ pattern;
            long c = PlatformDependent.getLong(base + i + 16) ^ pattern;
            long d = PlatformDependent.getLong(base + i + 24) ^ pattern;
            if (((zeroOctets(a) | zeroOctets(b) | zeroOctets(c) | zeroOctets(d)) & HIGHS) != 0) {
                break;
            }
        }
        for (int last = to - 16; i <= last; i += 16) {
            long a = matches(PlatformDependent.getLong(base + i), pattern);
            long b = matches(PlatformDependent.getLong(base + i + 8), pattern);
            if ((a | b) != 0) {
                return a != 0 ? i + firstByte(a) : i + 8 + firstByte(b);
            }
        }
        for (; i < to; i++) {
            if (PlatformDependent.getByte(base + i) == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The high bit of each octet that equals the pattern's is set (and maybe those of octets
     * after a match, never before one): the first set bit in memory order is the first match.
     */
    private static long matches(long word, long pattern) {
        long x = (BIG_ENDIAN ? Long.reverseBytes(word) : word) ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /** Non-zero in the high bits (after masking with HIGHS) if and only if an octet of {@code x} is zero, in either byte order. */
    private static long zeroOctets(long x) {
        return (x - ONES) & ~x;
    }

    private static int firstByte(long matches) {
        return Long.numberOfTrailingZeros(matches) >>> 3;
    }
}
