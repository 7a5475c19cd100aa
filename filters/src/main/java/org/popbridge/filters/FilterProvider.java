package org.popbridge.filters;

/**
 * A kind of filter that a config can name, such as {@code spam-tag}. Built-in and third-party
 * providers are found the same way, through {@link java.util.ServiceLoader}: a jar on the class
 * path lists its providers in {@code META-INF/services/org.popbridge.filters.FilterProvider}.
 */
public interface FilterProvider {

    /** The name the config uses, in lower case with dashes, such as {@code spam-tag}. */
    String name();

    /**
     * Reads one config entry of this filter and checks it whole, so a bad rule stops the start,
     * not a session.
     *
     * @throws FilterConfigException naming the setting that is wrong and why
     */
    ConfiguredFilter configure(FilterSettings settings);
}
