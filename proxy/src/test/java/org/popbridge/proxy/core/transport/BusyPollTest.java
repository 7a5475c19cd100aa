package org.popbridge.proxy.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The strategy alone, driven as a loop drives it: while an answer is awaited it polls, then,
 * after its spin, blocks; with none awaited it blocks at once. An embedded upstream channel on
 * the test's thread makes this thread's loop await an answer.
 */
class BusyPollTest {

    private final AtomicInteger polls = new AtomicInteger();
    private EmbeddedChannel upstream;

    @BeforeEach
    void awaitAnAnswer() {
        upstream = new EmbeddedChannel(AwaitedReplies.tracker());
        upstream.writeAndFlush(Unpooled.copiedBuffer("NOOP\r\n", StandardCharsets.US_ASCII));
    }

    @AfterEach
    void close() {
        upstream.finishAndReleaseAll();
    }

    @Test
    void readinessIsServedAtOnce() throws Exception {
        SelectStrategy strategy = BusyPoll.factory(Duration.ofMillis(1)).newSelectStrategy();

        assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
        assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
    }

    @Test
    void anEmptyPollSpinsThenBlocks() throws Exception {
        SelectStrategy strategy = BusyPoll.factory(Duration.ofNanos(200_000)).newSelectStrategy();

        assertThat(strategy.calculateStrategy(this::emptyPoll, false)).isEqualTo(SelectStrategy.CONTINUE);
        int strategyAfterSpin = spinUntilItChanges(strategy);

        assertThat(strategyAfterSpin).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls.get()).isGreaterThan(1);
        // The next empty poll starts a new spin: the loop woke up from its block for a reason.
        assertThat(strategy.calculateStrategy(this::emptyPoll, false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void workDuringTheSpinStartsItAgain() throws Exception {
        SelectStrategy strategy = BusyPoll.factory(Duration.ofNanos(200_000)).newSelectStrategy();
        assertThat(strategy.calculateStrategy(this::emptyPoll, false)).isEqualTo(SelectStrategy.CONTINUE);
        long began = System.nanoTime();
        assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(1);

        int strategyAfterSpin = spinUntilItChanges(strategy);

        assertThat(strategyAfterSpin).isEqualTo(SelectStrategy.SELECT);
        // Whatever the machine's speed: a spin that started at the readiness lasts its full length from then.
        assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(200_000);
    }

    @Test
    void withNoAnswerAwaitedTheLoopBlocksAtOnce() throws Exception {
        SelectStrategy strategy = BusyPoll.factory(Duration.ofMillis(1)).newSelectStrategy();
        upstream.writeInbound(Unpooled.copiedBuffer("+OK\r\n", StandardCharsets.US_ASCII));

        assertThat(strategy.calculateStrategy(this::emptyPoll, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(strategy.calculateStrategy(() -> 2, false)).isEqualTo(2);
    }

    @Test
    void zeroIsNettysOwnStrategy() {
        assertThat(BusyPoll.factory(Duration.ZERO)).isSameAs(DefaultSelectStrategyFactory.INSTANCE);
    }

    private int emptyPoll() {
        polls.incrementAndGet();
        return 0;
    }

    /** Calls the strategy on empty polls until it says something other than CONTINUE; bounded. */
    private int spinUntilItChanges(SelectStrategy strategy) throws Exception {
        for (int call = 0; call < 100_000_000; call++) {
            int decision = strategy.calculateStrategy(this::emptyPoll, false);
            if (decision != SelectStrategy.CONTINUE) {
                return decision;
            }
        }
        return SelectStrategy.CONTINUE;
    }
}
