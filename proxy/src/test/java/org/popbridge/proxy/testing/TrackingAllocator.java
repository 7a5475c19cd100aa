package org.popbridge.proxy.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpooled buffers that are remembered, so a codec test can assert that every buffer the codec
 * or the test allocated was released (deterministic, unlike the GC-driven leak detector).
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator() {
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

    /** A buffer holding the octets of an ISO-8859-1 string. */
    public ByteBuf copyOf(String latin1) {
        byte[] octets = CodecInput.octets(latin1);
        return heapBuffer(Math.max(octets.length, 1)).writeBytes(octets);
    }

    /** Octets held by buffers not yet released; released ones are forgotten, so long feeds stay cheap. */
    public long heldCapacity() {
        allocated.removeIf(b -> b.refCnt() == 0);
        return allocated.stream().mapToLong(ByteBuf::capacity).sum();
    }

    /** Readable octets in buffers not yet released: once its outputs are released, what a decoder still holds undecoded. */
    public long heldReadableBytes() {
        allocated.removeIf(b -> b.refCnt() == 0);
        return allocated.stream().mapToLong(ByteBuf::readableBytes).sum();
    }

    public void assertAllReleased() {
        List<String> unreleased = allocated.stream()
                .filter(b -> b.refCnt() > 0)
                .map(b -> "refCnt=" + b.refCnt() + " "
                        + CodecInput.visible(b.toString(0, Math.min(b.writerIndex(), 40), ISO_8859_1)))
                .toList();
        assertThat(unreleased).as("buffers never released").isEmpty();
    }
}
