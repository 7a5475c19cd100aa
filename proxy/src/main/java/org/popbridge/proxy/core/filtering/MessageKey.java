package org.popbridge.proxy.core.filtering;

import java.util.Objects;

/**
 * Which message a cached verdict belongs to: a UIDL is unique only within one maildrop
 * (RFC 1939 section 7), so the upstream and the user are part of the key.
 */
public record MessageKey(String upstream, String user, String uidl) {

    public MessageKey {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(uidl, "uidl");
    }
}
