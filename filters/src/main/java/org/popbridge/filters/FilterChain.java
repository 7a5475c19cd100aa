package org.popbridge.filters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The configured filters in order, with the failure policy and the time budget each filter has
 * per message. Immutable and shared by every session.
 */
public final class FilterChain {

    /** One filter of the chain under its config name, and the directions of mail it acts on. */
    public record Entry(String name, ConfiguredFilter filter, Set<Direction> directions) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
            if (directions.isEmpty()) {
                throw new IllegalArgumentException("a filter acts in at least one direction");
            }
            if (!filter.directions().containsAll(directions)) {
                throw new IllegalArgumentException(name + " cannot act on " + directions);
            }
            directions = Set.copyOf(directions);
        }

        /** The filter in the directions it acts in by default. */
        public Entry(String name, ConfiguredFilter filter) {
            this(name, filter, filter.defaultDirections());
        }
    }

    /** What a filter may take on one message before it is skipped, unless configured otherwise. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(5);

    private static final FilterChain EMPTY = new FilterChain(List.of(), FailurePolicy.OPEN, DEFAULT_TIME_BUDGET);

    private final List<Entry> entries;
    private final FailurePolicy policy;
    private final Duration timeBudget;
    // Worked out once: the proxy asks on every message, and the chain never changes.
    private final List<Entry> messageFactories;
    private final boolean watchesBodies;
    private final boolean mayHide;
    private final boolean filtersSessions;
    private final ChainObserver observer;

    public FilterChain(List<Entry> entries, FailurePolicy policy, Duration timeBudget) {
        this(entries, policy, timeBudget, ChainObserver.NONE);
    }

    private FilterChain(List<Entry> entries, FailurePolicy policy, Duration timeBudget, ChainObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.entries = List.copyOf(entries);
        this.policy = Objects.requireNonNull(policy, "policy");
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("the time budget must be positive");
        }
        this.timeBudget = timeBudget;
        this.messageFactories = this.entries.stream()
                .filter(entry -> entry.filter() instanceof MessageFilterFactory).toList();
        this.watchesBodies = messageFactories.stream()
                .anyMatch(entry -> ((MessageFilterFactory) entry.filter()).watchesBodies());
        this.mayHide = messageFactories.stream().anyMatch(entry -> ((MessageFilterFactory) entry.filter()).mayHide());
        this.filtersSessions = this.entries.stream().anyMatch(entry -> entry.filter() instanceof SessionFilterFactory);
    }

    public static FilterChain empty() {
        return EMPTY;
    }

    /** The filters that act in one direction, in order, run as this chain is. */
    public FilterChain forDirection(Direction direction) {
        List<Entry> acting = entries.stream().filter(entry -> entry.directions().contains(direction)).toList();
        if (acting.isEmpty()) {
            return EMPTY;
        }
        return acting.size() == entries.size() ? this : new FilterChain(acting, policy, timeBudget, observer);
    }

    /** The same chain, whose runs tell {@code observer} how each filter decided (for metrics). */
    public FilterChain observedBy(ChainObserver observer) {
        return entries.isEmpty() ? this : new FilterChain(entries, policy, timeBudget, observer);
    }

    public List<Entry> entries() {
        return entries;
    }

    public FailurePolicy policy() {
        return policy;
    }

    public Duration timeBudget() {
        return timeBudget;
    }

    /** Whether any filter looks at messages; without one, messages are relayed untouched. */
    public boolean filtersMessages() {
        return !messageFactories.isEmpty();
    }

    /** Whether any filter wants message bodies, so the chain must run on every delivery. */
    public boolean watchesBodies() {
        return watchesBodies;
    }

    /** Whether any filter may hide messages, so every message's headers are needed at login. */
    public boolean mayHide() {
        return mayHide;
    }

    /** Starts one message through the chain; continuations of asynchronous filters run on the executor. */
    public MessageRun start(MessageInfo message, Executor executor) {
        return new MessageRun(messageFactories, message, policy, timeBudget, executor, observer);
    }

    /** Fresh session filters for one session, in chain order, under their names. */
    public List<SessionFilters.Named> sessionFilters(SessionInfo session) {
        List<SessionFilters.Named> filters = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.filter() instanceof SessionFilterFactory factory) {
                SessionFilter filter = factory.forSession(session);
                if (filter != null) {
                    filters.add(new SessionFilters.Named(entry.name(), filter));
                }
            }
        }
        return List.copyOf(filters);
    }

    /** Whether any filter looks at sessions. */
    public boolean filtersSessions() {
        return filtersSessions;
    }
}
