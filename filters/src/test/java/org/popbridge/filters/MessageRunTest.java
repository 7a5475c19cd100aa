package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One message through the chain: order, copies, failures, time budget, bodies and the end. */
class MessageRunTest {

    private static final String BLOCK = "From: a@example.org\r\nSubject: hi\r\n\r\n";
    private static final MessageInfo MESSAGE = new MessageInfo("uid-1", 100, "alice", "mail.example:995");
    private static final String EXECUTOR_THREAD = "chain-continuations";

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, EXECUTOR_THREAD));

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void filtersRunInOrderAndEachSeesTheEditsBeforeIt() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("first", headers -> {
                    headers.add("X-First", "1");
                    return Verdict.deliver().now();
                }),
                entry("second", headers -> {
                    headers.add("X-Second", "saw " + headers.first("X-First").orElse("nothing"));
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(text(outcome.headers()))
                .isEqualTo("From: a@example.org\r\nSubject: hi\r\nX-First: 1\r\nX-Second: saw 1\r\n\r\n");
        assertThat(outcome.failures()).isEmpty();
    }

    @Test
    void theBlockPassedInIsNotChanged() {
        HeaderBlock original = block();
        FilterChain chain = chain(FailurePolicy.OPEN, entry("edit", headers -> {
            headers.set("Subject", "changed");
            headers.remove("From");
            return Verdict.deliver().now();
        }));

        ChainOutcome outcome = chain.start(MESSAGE, executor).headers(original).toCompletableFuture().join();

        assertThat(text(original)).isEqualTo(BLOCK);
        assertThat(text(outcome.headers())).isEqualTo("Subject: changed\r\n\r\n");
    }

    @Test
    void aFilterThatEditsThenThrowsLeavesNoEditAndTheRestStillRun() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("breaks", headers -> {
                    headers.add("X-Broken", "half done");
                    throw new IllegalStateException("rule exploded");
                }),
                entry("tags", headers -> {
                    headers.add("X-Tag", "ok");
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(text(outcome.headers())).isEqualTo(BLOCK.replace("\r\n\r\n", "\r\nX-Tag: ok\r\n\r\n"));
        assertThat(outcome.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.filter()).isEqualTo("breaks");
            assertThat(failure.timedOut()).isFalse();
            assertThat(failure.describe()).isEqualTo("breaks failed: IllegalStateException: rule exploded");
        });
    }

    @Test
    void failClosedRefusesWithTheHeadersBeforeTheFailingFilter() throws Exception {
        AtomicBoolean thirdCalled = new AtomicBoolean();
        ChainOutcome outcome = run(FailurePolicy.CLOSED,
                entry("first", headers -> {
                    headers.add("X-First", "1");
                    return Verdict.deliver().now();
                }),
                entry("breaks", headers -> {
                    headers.add("X-Broken", "half done");
                    throw new IllegalArgumentException("bad");
                }),
                entry("third", headers -> {
                    thirdCalled.set(true);
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.REFUSE);
        assertThat(text(outcome.headers())).isEqualTo(BLOCK.replace("\r\n\r\n", "\r\nX-First: 1\r\n\r\n"));
        assertThat(outcome.failures()).extracting(FilterFailure::filter).containsExactly("breaks");
        assertThat(thirdCalled).isFalse();
    }

    @Test
    void aNullVerdictIsAFailure() throws Exception {
        assertFailsAndIsSkipped(new FilterChain.Entry("nulls", (MessageFilterFactory) message -> headers -> {
            headers.add("X-Null", "1");
            return CompletableFuture.completedFuture(null);
        }), IllegalStateException.class);
    }

    @Test
    void aNullStageIsAFailure() throws Exception {
        assertFailsAndIsSkipped(new FilterChain.Entry("nulls", (MessageFilterFactory) message -> headers -> null),
                IllegalStateException.class);
    }

    @Test
    void anExceptionFromForMessageIsAFailure() throws Exception {
        assertFailsAndIsSkipped(new FilterChain.Entry("nulls", (MessageFilterFactory) message -> {
            throw new UnsupportedOperationException("cannot start");
        }), UnsupportedOperationException.class);
    }

    @Test
    void aStageCompletedWithAnErrorIsAFailureNamingTheErrorItself() throws Exception {
        assertFailsAndIsSkipped(new FilterChain.Entry("nulls", (MessageFilterFactory) message -> headers ->
                CompletableFuture.failedFuture(new ArithmeticException("scanner said no"))), ArithmeticException.class);
    }

    @Test
    void aFactoryThatGivesNoFilterForAMessageIsSkippedWithoutAFailure() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.CLOSED,
                new FilterChain.Entry("absent", (MessageFilterFactory) message -> null),
                entry("tags", headers -> {
                    headers.add("X-Tag", "ok");
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(outcome.failures()).isEmpty();
        assertThat(text(outcome.headers())).contains("X-Tag: ok");
    }

    @Test
    void hideStopsTheChainAndSaysWhy() throws Exception {
        AtomicBoolean laterCalled = new AtomicBoolean();
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("spam", headers -> Verdict.hide("score 12 > 5").now()),
                entry("later", headers -> {
                    laterCalled.set(true);
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.HIDE);
        assertThat(outcome.findings()).containsExactly(new FilterFinding("spam", "score 12 > 5"));
        assertThat(laterCalled).isFalse();
    }

    @Test
    void findingsComeInChainOrderUnderTheFilterNames() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("a", headers -> Verdict.deliver("one").now()),
                entry("b", headers -> new Verdict(Verdict.Action.DELIVER, List.of("two", "three")).now()),
                entry("c", headers -> Verdict.deliver().now()),
                entry("d", headers -> Verdict.deliver("four").now()));

        assertThat(outcome.findings()).extracting(FilterFinding::toString)
                .containsExactly("a: one", "b: two", "b: three", "d: four");
    }

    @Test
    void aVerdictCompletedLaterOnAnotherThreadContinuesOnTheExecutor() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("async", headers -> {
                    headers.add("X-Async", "scanned");
                    return CompletableFuture.supplyAsync(() -> Verdict.deliver("clean"),
                            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                }),
                entry("after", headers -> {
                    threads.add(Thread.currentThread().getName());
                    headers.add("X-After", headers.first("X-Async").orElse("missing"));
                    return Verdict.deliver().now();
                }));

        assertThat(threads).containsExactly(EXECUTOR_THREAD);
        assertThat(text(outcome.headers())).endsWith("X-Async: scanned\r\nX-After: scanned\r\n\r\n");
        assertThat(outcome.findings()).containsExactly(new FilterFinding("async", "clean"));
    }

    @Test
    void anAsynchronousFilterThatOverrunsItsBudgetIsSkippedWithItsEdits() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN, Duration.ofMillis(100),
                entry("slow", headers -> {
                    headers.add("X-Slow", "never used");
                    return new CompletableFuture<>();
                }),
                entry("tags", headers -> {
                    headers.add("X-Tag", "ok");
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(text(outcome.headers())).isEqualTo(BLOCK.replace("\r\n\r\n", "\r\nX-Tag: ok\r\n\r\n"));
        assertThat(outcome.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.filter()).isEqualTo("slow");
            assertThat(failure.timedOut()).isTrue();
            assertThat(failure.describe()).isEqualTo("slow overran its time budget");
        });
    }

    @Test
    void anAsynchronousOverrunUnderFailClosedRefuses() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.CLOSED, Duration.ofMillis(100),
                entry("slow", headers -> new CompletableFuture<>()));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.REFUSE);
        assertThat(outcome.failures()).singleElement().satisfies(f -> assertThat(f.timedOut()).isTrue());
    }

    @Test
    void aSynchronousFilterThatTakesLongerThanItsBudgetIsTreatedAsOverrun() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN, Duration.ofMillis(20),
                entry("runaway", headers -> {
                    headers.add("X-Runaway", "1");
                    sleep(150);
                    return Verdict.hide("decided too late").now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(text(outcome.headers())).isEqualTo(BLOCK);
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.filter()).isEqualTo("runaway");
            assertThat(failure.timedOut()).isTrue();
        });
    }

    @Test
    void bodyChunksGoOnlyToFiltersThatWatchBodiesAndCannotBeChanged() {
        Recorder watcher = new Recorder();
        Recorder headerOnly = new Recorder();
        FilterChain chain = chain(FailurePolicy.OPEN,
                new FilterChain.Entry("watcher", new Factory(message -> watcher, true)),
                new FilterChain.Entry("headers-only", new Factory(message -> headerOnly, false)));
        MessageRun run = chain.start(MESSAGE, executor);
        run.headers(block()).toCompletableFuture().join();
        ByteBuffer chunk = ByteBuffer.wrap("Hello\r\n.dots\r\n".getBytes(StandardCharsets.US_ASCII));

        boolean keepGoing = run.body(chunk);

        assertThat(keepGoing).isTrue();
        assertThat(watcher.body.toString()).isEqualTo("Hello\r\n.dots\r\n");
        assertThat(watcher.writeRefused).isTrue();
        assertThat(headerOnly.body.toString()).isEmpty();
        assertThat(chunk.position()).as("the proxy's buffer is untouched").isZero();
        assertThat(chunk.array()).isEqualTo("Hello\r\n.dots\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void aWatcherThatThrowsOnABodyChunkIsDroppedAndFailClosedStopsTheMessage(FailurePolicy policy) {
        AtomicInteger calls = new AtomicInteger();
        Recorder healthy = new Recorder();
        FilterChain chain = chain(policy,
                new FilterChain.Entry("breaks", new Factory(message -> new MessageFilter() {
                    @Override
                    public CompletionStage<Verdict> headers(HeaderBlock headers) {
                        return Verdict.deliver().now();
                    }

                    @Override
                    public void body(ByteBuffer chunk) {
                        calls.incrementAndGet();
                        throw new IllegalStateException("bad chunk");
                    }
                }, true)),
                new FilterChain.Entry("healthy", new Factory(message -> healthy, true)));
        MessageRun run = chain.start(MESSAGE, executor);
        run.headers(block()).toCompletableFuture().join();

        boolean first = run.body(ascii("one "));
        boolean second = run.body(ascii("two"));

        assertThat(first).isEqualTo(policy == FailurePolicy.OPEN);
        assertThat(second).as("the failed filter is not called again").isTrue();
        assertThat(calls).hasValue(1);
        assertThat(healthy.body.toString()).isEqualTo("one two");
        assertThat(run.failures()).extracting(FilterFailure::describe)
                .containsExactly("breaks failed: IllegalStateException: bad chunk");
    }

    @Test
    void everyFilterThatRanHearsTheEndOnceEvenIfOneThrowsThere() {
        Recorder first = new Recorder();
        Recorder last = new Recorder();
        FilterChain chain = chain(FailurePolicy.OPEN,
                new FilterChain.Entry("first", new Factory(message -> first, false)),
                new FilterChain.Entry("throws-at-end", new Factory(message -> new MessageFilter() {
                    @Override
                    public CompletionStage<Verdict> headers(HeaderBlock headers) {
                        return Verdict.deliver().now();
                    }

                    @Override
                    public void end(boolean complete) {
                        throw new IllegalStateException("cannot close");
                    }
                }, false)),
                new FilterChain.Entry("last", new Factory(message -> last, true)));
        MessageRun run = chain.start(MESSAGE, executor);
        run.headers(block()).toCompletableFuture().join();

        run.end(true);
        run.end(false);

        assertThat(first.ends).containsExactly(true);
        assertThat(last.ends).containsExactly(true);
        assertThat(run.failures()).extracting(FilterFailure::filter).containsExactly("throws-at-end");
    }

    @Test
    void aFilterStillDecidingWhenTheMessageEndsHearsTheEndWhenItDecides() throws Exception {
        CompletableFuture<Verdict> pending = new CompletableFuture<>();
        Recorder slow = new Recorder(pending);
        Recorder after = new Recorder();
        FilterChain chain = chain(FailurePolicy.OPEN,
                new FilterChain.Entry("slow", new Factory(message -> slow, false)),
                new FilterChain.Entry("after", new Factory(message -> after, false)));
        MessageRun run = chain.start(MESSAGE, executor);
        CompletableFuture<ChainOutcome> outcome = run.headers(block()).toCompletableFuture();

        run.end(false);
        pending.complete(Verdict.deliver());
        outcome.get(5, TimeUnit.SECONDS);
        executor.submit(() -> { }).get(5, TimeUnit.SECONDS);

        assertThat(slow.ends).containsExactly(false);
        assertThat(after.ends).containsExactly(false);
    }

    private void assertFailsAndIsSkipped(FilterChain.Entry failing, Class<? extends Throwable> cause) throws Exception {
        ChainOutcome outcome = run(FailurePolicy.OPEN, failing, entry("tags", headers -> {
            headers.add("X-Tag", "ok");
            return Verdict.deliver().now();
        }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(text(outcome.headers())).isEqualTo(BLOCK.replace("\r\n\r\n", "\r\nX-Tag: ok\r\n\r\n"));
        assertThat(outcome.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.filter()).isEqualTo(failing.name());
            assertThat(failure.cause()).isInstanceOf(cause);
        });
    }

    @Test
    void aRefusalEndsTheRunWithItsReasonAndTheFiltersAfterItDoNotRun() throws Exception {
        AtomicBoolean laterRan = new AtomicBoolean();
        ChainOutcome outcome = run(FailurePolicy.OPEN,
                entry("tag", headers -> {
                    headers.add("X-Tag", "1");
                    return Verdict.deliver("tagged").now();
                }),
                entry("policy", headers -> Verdict.refuse("From: a@example.org is not yours").now()),
                entry("later", headers -> {
                    laterRan.set(true);
                    return Verdict.deliver().now();
                }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.REFUSE);
        assertThat(outcome.refusal()).isEqualTo(new FilterFinding("policy", "From: a@example.org is not yours"));
        assertThat(outcome.findings()).extracting(FilterFinding::text)
                .containsExactly("tagged", "From: a@example.org is not yours");
        assertThat(outcome.failures()).isEmpty();
        assertThat(laterRan).isFalse();
    }

    @Test
    void aRefusalByFailureHasNoRefusingFinding() throws Exception {
        ChainOutcome outcome = run(FailurePolicy.CLOSED, entry("breaks", headers -> {
            throw new IllegalStateException("no");
        }));

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.REFUSE);
        assertThat(outcome.refusal()).isNull();
    }

    @Test
    void aRefusalReasonIsOneLine() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Verdict.refuse("two\r\nlines"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Verdict.refuse(" "));
    }

    private ChainOutcome run(FailurePolicy policy, FilterChain.Entry... entries) throws Exception {
        return run(policy, FilterChain.DEFAULT_TIME_BUDGET, entries);
    }

    private ChainOutcome run(FailurePolicy policy, Duration budget, FilterChain.Entry... entries) throws Exception {
        FilterChain chain = new FilterChain(List.of(entries), policy, budget);
        return chain.start(MESSAGE, executor).headers(block()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static FilterChain chain(FailurePolicy policy, FilterChain.Entry... entries) {
        return new FilterChain(List.of(entries), policy, FilterChain.DEFAULT_TIME_BUDGET);
    }

    private static FilterChain.Entry entry(String name, MessageFilter filter) {
        return new FilterChain.Entry(name, (MessageFilterFactory) message -> filter);
    }

    private static HeaderBlock block() {
        return HeaderBlock.parse(BLOCK.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(HeaderBlock headers) {
        return new String(headers.toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A factory that says whether its filters watch bodies. */
    private record Factory(Function<MessageInfo, MessageFilter> filters, boolean watchesBodies)
            implements MessageFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return filters.apply(message);
        }
    }

    /** A filter that remembers the body it was given and the ends it heard. */
    private static final class Recorder implements MessageFilter {
        private final CompletionStage<Verdict> verdict;
        final StringBuilder body = new StringBuilder();
        final List<Boolean> ends = new ArrayList<>();
        boolean writeRefused;

        Recorder() {
            this(Verdict.deliver().now());
        }

        Recorder(CompletionStage<Verdict> verdict) {
            this.verdict = verdict;
        }

        @Override
        public CompletionStage<Verdict> headers(HeaderBlock headers) {
            return verdict;
        }

        @Override
        public void body(ByteBuffer chunk) {
            try {
                chunk.duplicate().put(0, (byte) 'X');
            } catch (ReadOnlyBufferException e) {
                writeRefused = true;
            }
            while (chunk.hasRemaining()) {
                body.append((char) chunk.get());
            }
        }

        @Override
        public void end(boolean complete) {
            ends.add(complete);
        }
    }
}
