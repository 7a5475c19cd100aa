package org.popbridge.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The suite's leak check sees a leak: without it, a test class that leaks would pass. */
class LeakCheckTest {

    @Test
    void aBufferNeverReleasedIsReported() throws InterruptedException {
        LeakCheck.collect(); // whatever earlier classes left is theirs
        leakOne();

        assertThat(LeakCheck.collect()).singleElement().asString()
                .startsWith("LEAK: ByteBuf never released")
                .contains("LeakCheckTest.leakOne");
    }

    @Test
    void buffersReleasedAreNot() throws InterruptedException {
        LeakCheck.collect();
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
        buffer.writeByte(1);
        buffer.release();

        assertThat(LeakCheck.collect()).isEmpty();
    }

    private static void leakOne() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
        buffer.writeByte(1); // an access record naming this method
    }
}
