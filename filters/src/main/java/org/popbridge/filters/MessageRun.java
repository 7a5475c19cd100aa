package org.popbridge.filters;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One message going through the chain: the filters run one after another on the headers,
 * each on its own copy of the block, so a filter that fails is skipped with its edits; then the
 * filters that watch bodies get the body; then every filter hears the end. A stack overflow
 * counts as a filter failure too: a deeply nested regex on a long header can cause one.
 */
public final class MessageRun {

    private record Running(String name, MessageFilter filter, boolean watchesBody) {}

    private final List<FilterChain.Entry> factories;
    private final MessageInfo message;
    private final FailurePolicy policy;
    private final Duration budget;
    private final Executor executor;
    private final ChainObserver observer;
    private final List<Running> running = new ArrayList<>();
    private final List<FilterFinding> findings = new ArrayList<>();
    private final List<FilterFailure> failures = new ArrayList<>();
    private final CompletableFuture<ChainOutcome> outcome = new CompletableFuture<>();
    private boolean ended;
    private boolean endedComplete;

    MessageRun(List<FilterChain.Entry> factories, MessageInfo message, FailurePolicy policy, Duration budget,
               Executor executor, ChainObserver observer) {
        this.observer = observer;
        this.factories = factories;
        this.message = message;
        this.policy = policy;
        this.budget = budget;
        this.executor = executor;
    }

    /**
     * Runs the filters on the header block; the stage completes on the executor's thread, or on
     * the caller's if every filter answered at once. The block passed in is not changed.
     */
    public CompletionStage<ChainOutcome> headers(HeaderBlock original) {
        step(0, original);
        return outcome;
    }

    /**
     * Gives a piece of the body to the filters that watch bodies. Returns false if one failed
     * and the policy is {@link FailurePolicy#CLOSED}: the message must then not look complete.
     */
    public boolean body(ByteBuffer chunk) {
        boolean keepGoing = true;
        for (int i = 0; i < running.size(); i++) {
            Running filter = running.get(i);
            if (!filter.watchesBody()) {
                continue;
            }
            try {
                filter.filter().body(chunk.asReadOnlyBuffer());
            } catch (RuntimeException | StackOverflowError e) {
                failures.add(new FilterFailure(filter.name(), e));
                running.set(i, new Running(filter.name(), filter.filter(), false));
                keepGoing &= policy == FailurePolicy.OPEN;
            }
        }
        return keepGoing;
    }

    /** The message is over; every filter that ran hears it once. Failures here are only recorded. */
    public void end(boolean complete) {
        if (ended) {
            return;
        }
        ended = true;
        endedComplete = complete;
        for (Running filter : running) {
            hearEnd(filter);
        }
    }

    private void hearEnd(Running filter) {
        try {
            filter.filter().end(endedComplete);
        } catch (RuntimeException | StackOverflowError e) {
            failures.add(new FilterFailure(filter.name(), e));
        }
    }

    /** Every failure so far, headers and body. */
    public List<FilterFailure> failures() {
        return List.copyOf(failures);
    }

    private void step(int index, HeaderBlock current) {
        if (index == factories.size()) {
            finish(ChainOutcome.Disposition.DELIVER, current);
            return;
        }
        FilterChain.Entry entry = factories.get(index);
        MessageFilterFactory factory = (MessageFilterFactory) entry.filter();
        HeaderBlock copy = current.copy();
        MessageFilter filter;
        CompletableFuture<Verdict> verdict;
        long started = System.nanoTime();
        try {
            filter = factory.forMessage(message);
            if (filter == null) {
                step(index + 1, current);
                return;
            }
            CompletionStage<Verdict> stage = filter.headers(copy);
            if (stage == null) {
                throw new IllegalStateException("returned no verdict");
            }
            verdict = stage.toCompletableFuture();
        } catch (RuntimeException | StackOverflowError e) {
            observe(entry.name(), FilterDecision.Outcome.FAILED, started);
            failed(index, current, new FilterFailure(entry.name(), e));
            return;
        }
        if (verdict.isDone()) {
            // A filter that decided at once but took longer than its budget (a runaway regex)
            // is treated as one that overran: its answer is not used.
            boolean overran = System.nanoTime() - started > budget.toNanos();
            decided(index, current, copy, filter, verdict, overran, started);
            return;
        }
        verdict.copy()
                .orTimeout(budget.toNanos(), TimeUnit.NANOSECONDS)
                .whenCompleteAsync((ignored, error) -> decided(index, current, copy, filter, verdict,
                        error != null && unwrap(error) instanceof TimeoutException, started), executor);
    }

    private void decided(int index, HeaderBlock before, HeaderBlock edited, MessageFilter filter,
                         CompletableFuture<Verdict> verdict, boolean overran, long started) {
        String name = factories.get(index).name();
        if (overran) {
            observe(name, FilterDecision.Outcome.OVERRAN, started);
            failed(index, before, new FilterFailure(name, null));
            return;
        }
        Verdict answer;
        try {
            answer = verdict.join();
            if (answer == null) {
                throw new IllegalStateException("returned a null verdict");
            }
        } catch (RuntimeException | StackOverflowError e) {
            observe(name, FilterDecision.Outcome.FAILED, started);
            failed(index, before, new FilterFailure(name, unwrap(e)));
            return;
        }
        observe(name, FilterDecision.Outcome.of(answer.action()), started);
        MessageFilterFactory factory = (MessageFilterFactory) factories.get(index).filter();
        Running ran = new Running(name, filter, factory.watchesBodies());
        running.add(ran);
        if (ended) {
            // The message ended while this filter was still deciding; it must still hear the end.
            hearEnd(ran);
        }
        for (String finding : answer.findings()) {
            findings.add(new FilterFinding(name, finding));
        }
        if (answer.action() == Verdict.Action.HIDE) {
            finish(ChainOutcome.Disposition.HIDE, edited);
            return;
        }
        if (answer.action() == Verdict.Action.REFUSE) {
            // The filters after it have nothing to decide: the message goes nowhere.
            String reason = answer.findings().isEmpty() ? "refused" : answer.findings().get(0);
            outcome.complete(new ChainOutcome(ChainOutcome.Disposition.REFUSE, edited, findings, failures,
                    new FilterFinding(name, reason)));
            return;
        }
        step(index + 1, edited);
    }

    private void failed(int index, HeaderBlock before, FilterFailure failure) {
        failures.add(failure);
        if (policy == FailurePolicy.CLOSED) {
            finish(ChainOutcome.Disposition.REFUSE, before);
            return;
        }
        step(index + 1, before);
    }

    private void finish(ChainOutcome.Disposition disposition, HeaderBlock headers) {
        outcome.complete(new ChainOutcome(disposition, headers, findings, failures));
    }

    /** The observer hears of the decision; one that throws must not change the message's fate. */
    private void observe(String name, FilterDecision.Outcome outcome, long started) {
        try {
            observer.decided(new FilterDecision(name, outcome, Duration.ofNanos(System.nanoTime() - started)));
        } catch (RuntimeException e) {
            // Metrics are not worth a message: the decision stands.
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
