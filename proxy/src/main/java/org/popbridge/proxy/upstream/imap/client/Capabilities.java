package org.popbridge.proxy.upstream.imap.client;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The capability names a server announced (RFC 9051 section 7.2.2), from "* CAPABILITY"
 * or a "[CAPABILITY ...]" code, upper-cased: names are case-insensitive.
 */
public record Capabilities(Set<String> names) implements ImapResponse {

    public Capabilities {
        Set<String> upper = new LinkedHashSet<>();
        for (String name : names) {
            upper.add(name.toUpperCase(Locale.ROOT));
        }
        names = Collections.unmodifiableSet(upper);
    }

    /** Reads space-separated capability atoms, e.g. "IMAP4rev1 LITERAL+ AUTH=PLAIN". */
    public static Capabilities parse(String atoms) {
        Set<String> names = new LinkedHashSet<>();
        for (String atom : atoms.trim().split(" +")) {
            if (!atom.isEmpty()) {
                names.add(atom);
            }
        }
        return new Capabilities(names);
    }

    public boolean has(String name) {
        return names.contains(name.toUpperCase(Locale.ROOT));
    }

    /** True when the server offers SASL {@code mechanism} through "AUTH=..." (RFC 9051 section 6.2.2). */
    public boolean hasAuth(String mechanism) {
        return has("AUTH=" + mechanism);
    }

    /** LOGINDISABLED: LOGIN is refused, usually until STARTTLS (RFC 9051 section 6.2.3). */
    public boolean loginDisabled() {
        return has("LOGINDISABLED");
    }
}
