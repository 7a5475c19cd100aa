package org.popbridge.filters.builtin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.rules.AsciiCase;
import org.popbridge.filters.rules.FieldSyntax;
import org.popbridge.filters.rules.Utf8Octets;

/**
 * How the {@code spam-tag} filter marks a message that reached the threshold: a Subject prefix
 * and headers to set.
 *
 * @param subjectPrefix the prefix as a UTF-8 octet string, or empty for none
 * @param headers the headers to set, in config order
 */
public record SpamTag(Optional<String> subjectPrefix, Map<String, HeaderTemplate> headers) {

    public SpamTag {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Reads the {@code tag} section. */
    static SpamTag parse(FilterSettings tag) {
        tag.allowOnly("subject-prefix", "add-headers");
        Optional<String> prefix = tag.optionalString("subject-prefix").map(Utf8Octets::of);
        if (prefix.isPresent()) {
            String pointer = tag.pointer("subject-prefix");
            if (prefix.get().isBlank()) {
                throw tag.problem("subject-prefix", "is empty");
            }
            if (prefix.get().contains("${")) {
                // A prefix that changed per message could not be recognised to avoid doubling it.
                throw tag.problem("subject-prefix", "cannot hold placeholders; use them in add-headers");
            }
            FieldSyntax.requireField(pointer, "Subject", prefix.get());
        }
        Map<String, HeaderTemplate> headers = new LinkedHashMap<>();
        Optional<FilterSettings> section = tag.optionalSection("add-headers");
        if (section.isPresent()) {
            FilterSettings add = section.get();
            for (String name : add.keys()) {
                FieldSyntax.requireName(add.pointer(name), name);
                headers.put(name, HeaderTemplate.parse(add.pointer(name), name, add.string(name)));
            }
        }
        if (prefix.isEmpty() && headers.isEmpty()) {
            throw tag.problem("needs subject-prefix or add-headers, or it would tag nothing");
        }
        return new SpamTag(prefix, headers);
    }

    /** Tags the message: prefixes the Subject once and sets each header, replacing any it already has. */
    void apply(HeaderBlock block, SpamScore score) {
        subjectPrefix.ifPresent(prefix -> {
            Optional<String> subject = block.first("Subject");
            if (subject.isEmpty()) {
                block.add("Subject", prefix.strip());
            } else if (!AsciiCase.startsWith(subject.get(), prefix.strip())) {
                // Not doubled when the upstream (or an earlier filter) already tagged it.
                block.prefixFirst("Subject", prefix);
            }
        });
        headers.forEach((name, template) -> block.set(name, template.fill(score)));
    }
}
