package org.popbridge.filters.builtin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterProvider;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.rules.AsciiCase;
import org.popbridge.filters.rules.Utf8Octets;

/** The {@code sender-policy} filter: users send only as their own address or their aliases (docs/FILTERS.md). */
public final class SenderPolicyProvider implements FilterProvider {

    /** The alias key whose entries every user may send as. */
    static final String EVERYONE = "*";

    @Override
    public String name() {
        return "sender-policy";
    }

    @Override
    public ConfiguredFilter configure(FilterSettings settings) {
        settings.allowOnly("domain", "aliases");
        String domain = settings.optionalString("domain")
                .map(text -> SenderPattern.domainName(Utf8Octets.of(text)).orElseThrow(() ->
                        settings.problem("domain", "\"" + text + "\" is not a domain such as example.com")))
                .orElse(null);
        Map<String, List<SenderPattern>> aliases = new HashMap<>();
        List<SenderPattern> everyone = new ArrayList<>();
        if (settings.has("aliases")) {
            FilterSettings section = settings.section("aliases");
            if (section.keys().isEmpty()) {
                throw settings.problem("aliases", "is empty; give a login name (or \"*\") and the addresses it may send as");
            }
            for (String login : section.keys()) {
                List<SenderPattern> entries = entries(section, login);
                if (login.strip().equals(EVERYONE)) {
                    everyone.addAll(entries);
                } else {
                    // Keys that differ only in case name the same login: their entries add up.
                    aliases.computeIfAbsent(AsciiCase.lower(Utf8Octets.of(login.strip())), key -> new ArrayList<>())
                            .addAll(entries);
                }
            }
        }
        return new SenderPolicy(new SenderRules(domain, aliases, everyone));
    }

    private static List<SenderPattern> entries(FilterSettings aliases, String login) {
        if (login.isBlank()) {
            throw aliases.problem(login, "is not a login name; give a login name or \"*\"");
        }
        List<String> given = aliases.strings(login);
        if (given.isEmpty()) {
            throw aliases.problem(login, "is empty; give at least one address or @domain");
        }
        List<SenderPattern> entries = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String entry = given.get(i);
            int index = i;
            entries.add(SenderPattern.parse(Utf8Octets.of(entry)).orElseThrow(() -> aliases.problem(login, "entry "
                    + index + ", \"" + entry + "\", is not an address such as sales@example.com or a domain such as @example.com")));
        }
        return List.copyOf(entries);
    }
}
