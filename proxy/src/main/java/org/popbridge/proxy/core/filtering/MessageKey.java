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

    // Written out: the verdict cache looks a key up on every RETR and at login for every message.
    @Override
    public boolean equals(Object other) {
        return other instanceof MessageKey that && uidl.equals(that.uidl) && user.equals(that.user)
                && upstream.equals(that.upstream);
    }

    @Override
    public int hashCode() {
        return (31 * upstream.hashCode() + user.hashCode()) * 31 + uidl.hashCode();
    }
}
