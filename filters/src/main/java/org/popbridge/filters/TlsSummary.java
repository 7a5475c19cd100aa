package org.popbridge.filters;

/**
 * The TLS of one side of a session.
 *
 * @param protocol such as {@code TLSv1.3}, or {@code none} for a connection in clear
 * @param cipher such as {@code TLS_AES_128_GCM_SHA256}, or {@code none}
 */
public record TlsSummary(String protocol, String cipher) {

    public static final TlsSummary NONE = new TlsSummary("none", "none");

    @Override
    public String toString() {
        return this.equals(NONE) ? "none" : protocol + " " + cipher;
    }
}
