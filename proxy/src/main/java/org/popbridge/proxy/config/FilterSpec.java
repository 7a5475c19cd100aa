package org.popbridge.proxy.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.popbridge.filters.FilterSettings;

/**
 * One item of {@code filters:} as written: the filter's name and its settings, a tree of maps,
 * lists and scalars kept as the text in the file.
 *
 * @param pointer where the settings stand in the file, as a JSON pointer such as {@code /filters/1/spam-tag}
 */
@JsonDeserialize(using = FilterSpecReader.class)
public record FilterSpec(String name, Map<String, Object> settings, String pointer) {

    public FilterSpec {
        Objects.requireNonNull(name, "name");
        // Kept in the file's order: a provider lists keys, and reports the first bad one, in that order.
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        Objects.requireNonNull(pointer, "pointer");
    }

    /** The pointer of the item itself, such as {@code /filters/1}. */
    public String itemPointer() {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    /** The item without its {@code direction:}, which the proxy reads and the provider never sees. */
    FilterSpec withoutDirection() {
        if (!settings.containsKey(FilterChainBuilder.DIRECTION)) {
            return this;
        }
        Map<String, Object> rest = new LinkedHashMap<>(settings);
        rest.remove(FilterChainBuilder.DIRECTION);
        return new FilterSpec(name, rest, pointer);
    }

    /** The settings as the filter's provider reads them. */
    public FilterSettings filterSettings() {
        return FilterSettings.of(settings, pointer);
    }
}
