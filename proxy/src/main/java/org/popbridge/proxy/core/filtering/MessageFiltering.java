package org.popbridge.proxy.core.filtering;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.popbridge.filters.ChainOutcome.Disposition;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.MessageInfo;

/**
 * The bridge between the sessions and the filter chain: one per proxy, shared by every
 * session. It runs the chain on a message's header block, or takes the outcome from the
 * verdict cache when the chain already ran on that very block.
 */
public final class MessageFiltering {

    private final FilterChain chain;
    private final VerdictCache cache;
    private final int headerLimit;
    private final boolean scanAtLogin;

    /**
     * @param headerLimit the longest header block the chain is run on, in octets
     * @param scanAtLogin whether every message's headers are read at login for exact sizes;
     *                    always so when a filter may hide messages
     */
    public MessageFiltering(FilterChain chain, VerdictCache cache, int headerLimit, boolean scanAtLogin) {
        this.chain = chain;
        this.cache = cache;
        this.headerLimit = headerLimit;
        this.scanAtLogin = scanAtLogin || chain.mayHide();
    }

    /** Whether any filter looks at messages; if not, sessions relay messages untouched. */
    public boolean active() {
        return chain.filtersMessages();
    }

    public FilterChain chain() {
        return chain;
    }

    public boolean scanAtLogin() {
        return scanAtLogin;
    }

    public int headerLimit() {
        return headerLimit;
    }

    /** What is known of a message from an earlier run, without reading its headers. */
    public Optional<KnownOutcome> known(MessageKey key) {
        if (key == null || chain.watchesBodies()) {
            return Optional.empty();
        }
        return cache.find(key).map(verdict -> new KnownOutcome(verdict.disposition(), verdict.sizeDelta()));
    }

    /**
     * Records that a message passes unfiltered because its header block is over the limit, so
     * the login scan can settle it from the cache next time. Deliveries never use this entry:
     * they see the block is too long for themselves.
     */
    public void passesUnfiltered(MessageKey key) {
        if (key != null && !chain.watchesBodies()) {
            cache.put(key, new CachedVerdict(HeaderFingerprint.OVER_LIMIT, Disposition.DELIVER, null, 0, List.of()));
        }
    }

    /**
     * Starts one message through the chain.
     *
     * @param key the cache key, or null if the upstream gives no UIDL (then nothing is cached)
     * @param executor where the continuations of asynchronous filters run: the session's event loop
     */
    public FilteredMessage open(MessageKey key, MessageInfo message, Executor executor) {
        return new FilteredMessage(chain, cache, key, message, executor);
    }
}
