package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireConstantTest {

    private static final WireConstant TERMINATOR = WireConstant.of(".\r\n");

    @Test
    void holdsTheOctetsOfItsText() {
        assertThat(ByteBufUtil.getBytes(TERMINATOR.duplicate())).isEqualTo(".\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(ByteBufUtil.getBytes(WireConstant.of("\u00e9\u0000").duplicate()))
                .containsExactly((byte) 0xE9, (byte) 0x00);
    }

    /** Direct, or netty copies it (and any composite it is in) into a direct buffer on every write. */
    @Test
    void isDirect() {
        assertThat(TERMINATOR.duplicate().isDirect()).isTrue();
    }

    /** Every connection shares the octets: no writer may change them. */
    @Test
    void isReadOnly() {
        ByteBuf copy = TERMINATOR.duplicate();
        assertThat(copy.isReadOnly()).isTrue();
        assertThatThrownBy(() -> copy.setByte(0, 'x')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(TERMINATOR.duplicate().getByte(0)).isEqualTo((byte) '.');
    }

    /** A write releases what it writes; the constant must outlive every one of them. */
    @Test
    void survivesTheReleaseOfWhatWasWritten() {
        for (int i = 0; i < 3; i++) {
            ByteBuf written = TERMINATOR.duplicate();
            written.release();
        }
        ByteBuf next = TERMINATOR.duplicate();
        assertThat(next.refCnt()).isPositive();
        assertThat(next.toString(StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
    }

    /** Reading one duplicate, as a socket write does, leaves the next one whole. */
    @Test
    void eachDuplicateReadsFromTheStart() {
        TERMINATOR.duplicate().skipBytes(3);
        assertThat(TERMINATOR.duplicate().readableBytes()).isEqualTo(3);
    }

    @Test
    void refusesACharacterThatIsNoOctet() {
        assertThatThrownBy(() -> WireConstant.of(".\u20ac")).isInstanceOf(IllegalArgumentException.class);
    }
}
