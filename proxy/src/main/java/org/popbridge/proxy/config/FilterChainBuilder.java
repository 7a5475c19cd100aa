package org.popbridge.proxy.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.popbridge.filters.Direction;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterProviders;
import org.popbridge.filters.MessageFilterFactory;

/**
 * Turns the {@code filters:} items into the chain, each configured by its provider, so that a
 * bad rule stops the start with its place in the file rather than failing a session later.
 */
final class FilterChainBuilder {

    static final String SCAN_AT_LOGIN = "/filtering/scan-at-login";
    /** The key every filter item may have: which way of mail it acts on. */
    static final String DIRECTION = "direction";

    private FilterChainBuilder() {
    }

    /**
     * The chain of {@code specs} in order, run as {@code filtering} says; {@link FilterChain#empty()} if there are none.
     *
     * @throws FilterConfigException at the item or setting that is wrong
     */
    static FilterChain build(List<FilterSpec> specs, FilteringConfig filtering) {
        if (specs.isEmpty()) {
            return FilterChain.empty();
        }
        FilterProviders providers;
        try {
            providers = FilterProviders.load();
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            // Two jars claiming one name, or a provider that cannot be created: nothing here can be used.
            throw new FilterConfigException("/filters", e.getMessage());
        }
        List<FilterChain.Entry> entries = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            FilterSpec spec = specs.get(i);
            if (spec == null) {
                throw new FilterConfigException("/filters/" + i, "an empty item; write a filter name and its settings, "
                        + "such as \"- log: {}\"");
            }
            FilterProvider provider = providers.named(spec.name()).orElseThrow(() -> new FilterConfigException(
                    spec.itemPointer(), "unknown filter \"" + spec.name() + "\"; known: "
                    + (providers.names().isEmpty() ? "none" : String.join(", ", providers.names()))));
            ConfiguredFilter filter = configure(provider, spec.withoutDirection());
            entries.add(new FilterChain.Entry(spec.name(), filter, directions(spec, filter)));
        }
        FilterChain chain = new FilterChain(entries, filtering.onFailure(), filtering.timeBudget());
        requireScanIfHiding(chain, filtering);
        return chain;
    }

    /** The same filters run as {@code filtering} says now. */
    static FilterChain rebuild(FilterChain chain, FilteringConfig filtering) {
        if (chain.entries().isEmpty()) {
            return FilterChain.empty();
        }
        FilterChain rebuilt = new FilterChain(chain.entries(), filtering.onFailure(), filtering.timeBudget());
        requireScanIfHiding(rebuilt, filtering);
        return rebuilt;
    }

    /** Hiding renumbers the maildrop, which only a login that has read every message's headers can do. */
    static void requireScanIfHiding(FilterChain chain, FilteringConfig filtering) {
        if (filtering.scanAtLogin() || !chain.mayHide()) {
            return;
        }
        List<FilterChain.Entry> entries = chain.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).filter() instanceof MessageFilterFactory factory && factory.mayHide()) {
                throw new FilterConfigException(SCAN_AT_LOGIN, "cannot be false while filters[" + i + "] ("
                        + entries.get(i).name() + ") may hide messages: hiding renumbers the maildrop, so every "
                        + "message's headers must be read at login");
            }
        }
    }

    /**
     * The directions an item acts in: its {@code direction:} (incoming, outgoing or both), or the
     * filter's default. Read here, not by the provider, so every filter takes the key the same way.
     */
    private static Set<Direction> directions(FilterSpec spec, ConfiguredFilter filter) {
        Object written = spec.settings().get(DIRECTION);
        if (written == null) {
            return filter.defaultDirections();
        }
        String pointer = spec.filterSettings().pointer(DIRECTION);
        if (!(written instanceof String text)) {
            throw new FilterConfigException(pointer, "must be incoming, outgoing or both");
        }
        Set<Direction> asked = switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "incoming" -> EnumSet.of(Direction.INCOMING);
            case "outgoing" -> EnumSet.of(Direction.OUTGOING);
            case "both" -> Direction.both();
            default -> throw new FilterConfigException(pointer, "must be incoming, outgoing or both, not \"" + text + "\"");
        };
        if (!filter.directions().containsAll(asked)) {
            String can = filter.directions().stream().map(Direction::configName).collect(Collectors.joining(" and "));
            throw new FilterConfigException(pointer, "the " + spec.name() + " filter acts only on " + can + " mail");
        }
        return asked;
    }

    private static ConfiguredFilter configure(FilterProvider provider, FilterSpec spec) {
        ConfiguredFilter filter;
        try {
            filter = provider.configure(spec.filterSettings());
        } catch (FilterConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            // A provider's own bug still has to name the item, or the operator cannot find it.
            throw new FilterConfigException(spec.pointer(), "the " + spec.name() + " filter cannot use these settings: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (filter == null) {
            throw new FilterConfigException(spec.pointer(), "the " + spec.name() + " filter made nothing of these settings");
        }
        return filter;
    }
}
