package org.popbridge.proxy.upstream.imap.client;

/** Which literals a client may send without waiting for a continuation request (RFC 7888). */
public enum LiteralSupport {
    /** Every literal is synchronizing: "{n}", then wait for "+" (RFC 9051 section 7.5). */
    SYNCHRONIZING_ONLY {
        @Override
        public boolean nonSynchronizing(long octets) {
            return false;
        }
    },
    /** LITERAL- (RFC 7888 section 5), part of IMAP4rev2: "{n+}" up to 4096 octets. */
    LITERAL_MINUS {
        @Override
        public boolean nonSynchronizing(long octets) {
            return octets <= 4096;
        }
    },
    /** LITERAL+ (RFC 7888 section 4): "{n+}" of any size. */
    LITERAL_PLUS {
        @Override
        public boolean nonSynchronizing(long octets) {
            return true;
        }
    };

    /** True when a literal of {@code octets} may be sent as "{n+}" without waiting. */
    public abstract boolean nonSynchronizing(long octets);
}
