package org.popbridge.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A value that cannot be used, thrown while a setting is bound; {@code key} is the setting's
 * name inside the object that holds it, and {@code index} the list item at fault (or -1), so
 * the loader can point at its line in the file. A check across list items may point deeper,
 * at a key inside the item ({@link #at}).
 */
final class SettingException extends IllegalArgumentException {

    private final List<Object> path;

    SettingException(String key, String problem) {
        this(key, -1, problem);
    }

    SettingException(String key, int index, String problem) {
        this(index < 0 ? List.of(key) : List.of(key, index), problem);
    }

    private SettingException(List<Object> path, String problem) {
        super(problem);
        this.path = List.copyOf(path);
    }

    /**
     * A problem with {@code key} inside item {@code index} of the list {@code list}, such as the
     * match of the second route ("routes[1].match").
     */
    static SettingException at(String list, int index, String key, String problem) {
        return new SettingException(List.of(list, index, key), problem);
    }

    /**
     * The value {@code value} makes, or a SettingException for {@code key} with the message of the
     * IllegalArgumentException it throws: how a block's factory points a parse failure at its key.
     */
    static <T> T binding(String key, Supplier<T> value) {
        try {
            return value.get();
        } catch (SettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SettingException(key, e.getMessage());
        }
    }

    /** The setting at fault, below the object that threw: names of keys, and list indexes (Integer). */
    List<Object> path() {
        return new ArrayList<>(path);
    }
}
