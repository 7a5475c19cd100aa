package org.popbridge.proxy.core.filtering;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterFailure;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.MessageRun;

/**
 * One message on its way to the client through the chain: the header block first, then, for
 * a chain that watches bodies, the body. The outcome of a chain that reads only headers is
 * cached, and taken from the cache when the same header block comes again.
 */
public final class FilteredMessage {

    private final FilterChain chain;
    private final VerdictCache cache;
    private final MessageKey key;
    private final MessageInfo message;
    private final Executor executor;
    private MessageRun run;

    FilteredMessage(FilterChain chain, VerdictCache cache, MessageKey key, MessageInfo message, Executor executor) {
        this.chain = chain;
        this.cache = cache;
        this.key = key;
        this.message = message;
        this.executor = executor;
    }

    /**
     * The outcome for this header block (all octets up to and including the blank line);
     * completes on the executor, or at once for a cached outcome or filters that decide at once.
     */
    public CompletionStage<FilterResult> headers(byte[] original) {
        HeaderFingerprint fingerprint = HeaderFingerprint.of(original);
        Optional<CachedVerdict> cached = cacheable() ? cache.find(key, fingerprint) : Optional.empty();
        if (cached.isPresent()) {
            CachedVerdict verdict = cached.get();
            byte[] headers = verdict.edited() == null ? original : verdict.edited();
            return CompletableFuture.completedFuture(new FilterResult(verdict.disposition(), headers,
                    verdict.sizeDelta(), verdict.findings(), List.of(), true));
        }
        run = chain.start(message, executor);
        return run.headers(HeaderBlock.parse(original)).thenApply(outcome -> remember(original, fingerprint, outcome));
    }

    /** A piece of the body for the filters that watch bodies; false if the message must not look complete. */
    public boolean body(ByteBuffer chunk) {
        return run == null || !chain.watchesBodies() || run.body(chunk);
    }

    /** The message is over; filters that ran hear it. */
    public void end(boolean complete) {
        if (run != null) {
            run.end(complete);
        }
    }

    /** Failures of body watchers, after the header stage. */
    public List<FilterFailure> bodyFailures(int alreadyReported) {
        if (run == null) {
            return List.of();
        }
        List<FilterFailure> all = run.failures();
        return all.subList(Math.min(alreadyReported, all.size()), all.size());
    }

    private FilterResult remember(byte[] original, HeaderFingerprint fingerprint, ChainOutcome outcome) {
        byte[] edited = outcome.headers().toBytes();
        boolean changed = !Arrays.equals(edited, original);
        int sizeDelta = edited.length - original.length;
        if (cacheable() && outcome.failures().isEmpty()) {
            // A failed filter may succeed next time; its outcome is not kept.
            cache.put(key, new CachedVerdict(fingerprint, outcome.disposition(), changed ? edited : null, sizeDelta,
                    outcome.findings()));
        }
        return new FilterResult(outcome.disposition(), changed ? edited : original, sizeDelta, outcome.findings(),
                outcome.failures(), false);
    }

    private boolean cacheable() {
        return key != null && !chain.watchesBodies();
    }
}
