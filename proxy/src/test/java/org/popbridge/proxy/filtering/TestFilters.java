package org.popbridge.proxy.filtering;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.Verdict;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;

/** Small filters written against the SPI, as a third party would, for the proxy's filter tests. */
final class TestFilters {

    private TestFilters() {}

    /** Adds "X-Stamp: popbridge" to every message and counts the header blocks it saw. */
    static final class Stamp implements MessageFilterFactory {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public MessageFilter forMessage(org.popbridge.filters.MessageInfo message) {
            return headers -> {
                runs.incrementAndGet();
                headers.add("X-Stamp", "popbridge");
                return Verdict.deliver("stamped").now();
            };
        }
    }

    /** Hides messages whose Subject contains the word given. */
    static MessageFilterFactory hideSubject(String word) {
        return new MessageFilterFactory() {
            @Override
            public MessageFilter forMessage(org.popbridge.filters.MessageInfo message) {
                return headers -> headers.first("Subject").orElse("").contains(word)
                        ? Verdict.hide("subject has " + word).now()
                        : Verdict.deliver().now();
            }

            @Override
            public boolean mayHide() {
                return true;
            }
        };
    }

    /** Edits the block, then throws, on messages whose Subject contains the word. */
    static MessageFilterFactory throwOn(String word) {
        return message -> headers -> {
            headers.add("X-Half-Done", "yes");
            if (headers.first("Subject").orElse("").contains(word)) {
                throw new IllegalStateException("broken filter");
            }
            return Verdict.deliver().now();
        };
    }

    /** Never answers: the time budget must cut it off. */
    static MessageFilterFactory neverAnswers() {
        return message -> headers -> {
            headers.add("X-Never", "seen");
            return new CompletableFuture<>();
        };
    }

    /** Answers from another thread after a delay, adding a header, as a filter asking a scanner daemon would. */
    static final class Slow implements MessageFilterFactory, AutoCloseable {
        private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor();
        private final Duration delay;

        Slow(Duration delay) {
            this.delay = delay;
        }

        @Override
        public MessageFilter forMessage(org.popbridge.filters.MessageInfo message) {
            return headers -> {
                CompletableFuture<Verdict> verdict = new CompletableFuture<>();
                headers.add("X-Scanned", "slowly");
                scanner.schedule(() -> verdict.complete(Verdict.deliver()), delay.toMillis(), TimeUnit.MILLISECONDS);
                return verdict;
            };
        }

        @Override
        public void close() {
            scanner.shutdownNow();
        }
    }

    /** Watches bodies: counts octets and completed messages; fails on a body containing the marker. */
    static final class BodyCounter implements MessageFilterFactory {
        final AtomicLong octets = new AtomicLong();
        final AtomicInteger complete = new AtomicInteger();
        final List<Boolean> ends = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public MessageFilter forMessage(org.popbridge.filters.MessageInfo message) {
            return new MessageFilter() {
                @Override
                public java.util.concurrent.CompletionStage<Verdict> headers(org.popbridge.filters.HeaderBlock headers) {
                    return Verdict.deliver().now();
                }

                @Override
                public void body(ByteBuffer chunk) {
                    byte[] seen = new byte[chunk.remaining()];
                    chunk.get(seen);
                    octets.addAndGet(seen.length);
                    if (new String(seen, java.nio.charset.StandardCharsets.ISO_8859_1).contains("VIRUS")) {
                        throw new IllegalStateException("found a virus");
                    }
                }

                @Override
                public void end(boolean completed) {
                    ends.add(completed);
                    if (completed) {
                        complete.incrementAndGet();
                    }
                }
            };
        }

        @Override
        public boolean watchesBodies() {
            return true;
        }
    }

    static FilterChain chain(FailurePolicy policy, Duration budget, Object... namesAndFilters) {
        List<FilterChain.Entry> entries = new ArrayList<>();
        for (int i = 0; i < namesAndFilters.length; i += 2) {
            entries.add(new FilterChain.Entry((String) namesAndFilters[i],
                    (org.popbridge.filters.ConfiguredFilter) namesAndFilters[i + 1]));
        }
        return new FilterChain(entries, policy, budget);
    }

    static MessageFiltering filtering(FilterChain chain, boolean scanAtLogin) {
        return new MessageFiltering(chain, new VerdictCache(16 * 1024 * 1024, Duration.ofHours(1)), 64 * 1024, scanAtLogin);
    }
}
