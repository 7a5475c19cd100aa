package org.popbridge.filters.builtin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.popbridge.filters.rules.AsciiCase;
import org.popbridge.filters.rules.MailAddress;

/**
 * Which addresses each login may send as: its own address, and the aliases given to it or to
 * every user. Login names and addresses compare without case (US-ASCII letters).
 *
 * @param domain the domain that makes login {@code alice} the address {@code alice@domain}; null if none
 * @param aliases the entries of each login name, in lower case; also keyed by a user's own address
 * @param everyone the entries every user may send as (the {@code "*"} key)
 */
record SenderRules(String domain, Map<String, List<SenderPattern>> aliases, List<SenderPattern> everyone) {

    SenderRules {
        // Deep: the factory is shared by every session, so nothing in it may change.
        Map<String, List<SenderPattern>> copy = new HashMap<>();
        aliases.forEach((login, patterns) -> copy.put(login, List.copyOf(patterns)));
        aliases = Map.copyOf(copy);
        everyone = List.copyOf(everyone);
    }

    /**
     * The login's own address: the login itself if it holds an {@code @}, else login@domain when
     * a domain is set; empty otherwise (then only aliases let it send).
     */
    Optional<MailAddress> ownAddress(String user) {
        if (user.indexOf('@') >= 0) {
            return MailAddress.parse(user);
        }
        return domain == null || user.isBlank() ? Optional.empty() : MailAddress.parse(user + "@" + domain);
    }

    /** Whether {@code user} may use {@code address} as envelope sender or in From. */
    boolean allows(String user, MailAddress address) {
        Optional<MailAddress> own = ownAddress(user);
        if (own.isPresent() && own.get().equals(address)) {
            return true;
        }
        for (SenderPattern pattern : patternsOf(user, own)) {
            if (pattern.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The alias entries that apply to {@code user}: those under its login name, those under its
     * own address (so {@code alice@example.com:} serves a user who logs in as {@code alice} with
     * {@code domain: example.com}), and those for everyone.
     */
    private List<SenderPattern> patternsOf(String user, Optional<MailAddress> own) {
        List<SenderPattern> patterns = new ArrayList<>(aliases.getOrDefault(AsciiCase.lower(user.strip()), List.of()));
        own.map(address -> aliases.get(address.toString())).ifPresent(patterns::addAll);
        patterns.addAll(everyone);
        return patterns;
    }
}
