package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an observer of the chain hears: every filter's decision under its name, with its time, and nothing else. */
class ChainObserverTest {

    private static final MessageInfo MESSAGE = new MessageInfo("uid-1", 100, "alice", "mail.example:995");
    private static final byte[] BLOCK = "From: a@example.org\r\nSubject: hi\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<FilterDecision> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void everyDecisionIsHeardInChainOrderWithItsOutcome() throws Exception {
        FilterChain chain = new FilterChain(List.of(
                entry("tags", headers -> Verdict.deliver("tagged").now()),
                entry("breaks", headers -> {
                    throw new IllegalStateException("rule exploded");
                }),
                entry("slow", headers -> new CompletableFuture<>()),
                entry("hides", headers -> Verdict.hide("spam").now()),
                entry("never-asked", headers -> Verdict.refuse("unreachable").now())),
                FailurePolicy.OPEN, Duration.ofMillis(50)).observedBy(heard::add);

        ChainOutcome outcome = run(chain);

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.HIDE);
        assertThat(heard).extracting(FilterDecision::filter, FilterDecision::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tags", FilterDecision.Outcome.DELIVER),
                org.assertj.core.groups.Tuple.tuple("breaks", FilterDecision.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("slow", FilterDecision.Outcome.OVERRAN),
                org.assertj.core.groups.Tuple.tuple("hides", FilterDecision.Outcome.HIDE));
        // The overrun is heard once the budget has passed, so its time is at least the budget.
        assertThat(heard.get(2).took()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theObserverFollowsTheChainIntoEachDirection() throws Exception {
        FilterChain chain = new FilterChain(List.of(entry("refuses", headers -> Verdict.refuse("no").now())),
                FailurePolicy.OPEN, FilterChain.DEFAULT_TIME_BUDGET).observedBy(heard::add);

        run(chain.forDirection(Direction.INCOMING));

        assertThat(heard).extracting(FilterDecision::outcome).containsExactly(FilterDecision.Outcome.REFUSE);
    }

    @Test
    void anObserverThatThrowsChangesNothingForTheMessage() throws Exception {
        FilterChain chain = new FilterChain(List.of(entry("hides", headers -> Verdict.hide("spam").now())),
                FailurePolicy.CLOSED, FilterChain.DEFAULT_TIME_BUDGET).observedBy(decision -> {
                    throw new IllegalStateException("metrics broke");
                });

        assertThat(run(chain).disposition()).isEqualTo(ChainOutcome.Disposition.HIDE);
    }

    private ChainOutcome run(FilterChain chain) throws Exception {
        return chain.start(MESSAGE, executor).headers(HeaderBlock.parse(BLOCK)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private static FilterChain.Entry entry(String name, MessageFilter filter) {
        return new FilterChain.Entry(name, (MessageFilterFactory) message -> filter);
    }
}
