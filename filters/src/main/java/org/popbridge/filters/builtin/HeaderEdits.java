package org.popbridge.filters.builtin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.rules.FieldSyntax;
import org.popbridge.filters.rules.Utf8Octets;

/**
 * The header edits of the {@code headers} filter, applied in a fixed order: remove, rename, set,
 * add. Names and values are checked when the config is read, so an edit never fails on a message.
 *
 * @param remove fields to remove, every occurrence
 * @param rename old name to new name, every occurrence
 * @param set fields to replace (or append if absent), values as UTF-8 octet strings
 * @param add fields to append, values as UTF-8 octet strings
 */
public record HeaderEdits(List<String> remove, Map<String, String> rename, Map<String, String> set,
                          Map<String, String> add) {

    public HeaderEdits {
        remove = List.copyOf(remove);
        rename = Collections.unmodifiableMap(new LinkedHashMap<>(rename));
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        add = Collections.unmodifiableMap(new LinkedHashMap<>(add));
    }

    /** Reads the {@code remove}, {@code rename}, {@code set} and {@code add} keys of {@code settings}. */
    static HeaderEdits parse(FilterSettings settings) {
        List<String> remove = settings.strings("remove");
        for (int i = 0; i < remove.size(); i++) {
            FieldSyntax.requireName(settings.pointer("remove") + "/" + i, remove.get(i));
        }
        Map<String, String> rename = new LinkedHashMap<>();
        Optional<FilterSettings> renames = settings.optionalSection("rename");
        if (renames.isPresent()) {
            for (String from : renames.get().keys()) {
                FieldSyntax.requireName(renames.get().pointer(from), from);
                rename.put(from, FieldSyntax.requireName(renames.get().pointer(from), renames.get().string(from)));
            }
        }
        return new HeaderEdits(remove, rename, fields(settings, "set"), fields(settings, "add"));
    }

    private static Map<String, String> fields(FilterSettings settings, String key) {
        Map<String, String> fields = new LinkedHashMap<>();
        Optional<FilterSettings> section = settings.optionalSection(key);
        if (section.isPresent()) {
            for (String name : section.get().keys()) {
                String value = Utf8Octets.of(section.get().string(name));
                FieldSyntax.requireField(section.get().pointer(name), name, value);
                fields.put(name, value);
            }
        }
        return fields;
    }

    /** Whether there is no edit at all. */
    public boolean isEmpty() {
        return remove.isEmpty() && rename.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    /** Edits {@code block}; returns what changed, such as {@code removed X-Internal-Trace (2)}, or nothing. */
    List<String> applyTo(HeaderBlock block) {
        List<String> done = new ArrayList<>();
        for (String name : remove) {
            int count = block.all(name).size();
            if (count > 0) {
                block.remove(name);
                done.add("removed " + name + " (" + count + ")");
            }
        }
        rename.forEach((from, to) -> {
            int count = block.all(from).size();
            if (count > 0) {
                block.rename(from, to);
                done.add("renamed " + from + " to " + to + " (" + count + ")");
            }
        });
        set.forEach((name, value) -> {
            byte[] before = block.toBytes();
            block.set(name, value);
            if (!Arrays.equals(before, block.toBytes())) {
                done.add("set " + name);
            }
        });
        add.forEach((name, value) -> {
            block.add(name, value);
            done.add("added " + name);
        });
        return done;
    }
}
