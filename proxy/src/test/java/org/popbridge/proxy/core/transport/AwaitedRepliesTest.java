package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An embedded channel runs on the test's thread, so the count it changes is this thread's. */
class AwaitedRepliesTest {

    private final AwaitedReplies count = AwaitedReplies.ofThisLoop();

    @Test
    void aChannelIsAwaitedFromItsFlushUntilItsNextRead() {
        EmbeddedChannel upstream = new EmbeddedChannel(AwaitedReplies.tracker());
        assertThat(count.any()).isFalse();

        upstream.writeOneOutbound(text("NOOP\r\n"));
        assertThat(count.any()).as("written, not flushed").isFalse();
        upstream.flushOutbound();
        upstream.writeAndFlush(text("NOOP\r\n"));
        assertThat(count.any()).isTrue();

        upstream.writeInbound(text("+OK\r\n"));
        assertThat(count.any()).as("one read answers however many flushes").isFalse();
        releaseAll(upstream);
    }

    @Test
    void aClosedOrRemovedChannelIsNoLongerAwaited() {
        EmbeddedChannel closing = new EmbeddedChannel(AwaitedReplies.tracker());
        EmbeddedChannel stripped = new EmbeddedChannel(AwaitedReplies.tracker());
        closing.writeAndFlush(text("RETR 1\r\n"));
        stripped.writeAndFlush(text("RETR 1\r\n"));
        assertThat(count.any()).isTrue();

        closing.close();
        assertThat(count.any()).as("one still awaited").isTrue();
        stripped.pipeline().removeFirst();
        assertThat(count.any()).isFalse();
        releaseAll(closing);
        releaseAll(stripped);
    }

    private static io.netty.buffer.ByteBuf text(String line) {
        return Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII);
    }

    private static void releaseAll(EmbeddedChannel channel) {
        channel.finishAndReleaseAll();
    }
}
