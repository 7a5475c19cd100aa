package org.popbridge.filters;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The filters a config can name: every {@link FilterProvider} on the class path, by name. */
public final class FilterProviders {

    private final Map<String, FilterProvider> byName;

    private FilterProviders(Map<String, FilterProvider> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * The built-in filters and any third-party ones visible to the class loader.
     *
     * @throws IllegalStateException if two providers claim the same name
     */
    public static FilterProviders load(ClassLoader classLoader) {
        Map<String, FilterProvider> byName = new TreeMap<>();
        for (FilterProvider provider : ServiceLoader.load(FilterProvider.class, classLoader)) {
            FilterProvider before = byName.putIfAbsent(provider.name(), provider);
            if (before != null) {
                throw new IllegalStateException("two filters are named " + provider.name() + ": "
                        + before.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return new FilterProviders(byName);
    }

    public static FilterProviders load() {
        return load(FilterProviders.class.getClassLoader());
    }

    public Optional<FilterProvider> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every name, sorted, for an error that lists what exists. */
    public Set<String> names() {
        return byName.keySet();
    }
}
