package org.popbridge.proxy.imap;

import java.util.Arrays;
import java.util.Optional;
import org.popbridge.proxy.upstream.TransportScheme;

/** How popbridge reaches an IMAP upstream (RFC 8314 for implicit TLS, RFC 9051 section 6.2.1 for STARTTLS). */
public enum ImapScheme implements TransportScheme {
    /** Plain IMAP; only sensible on a trusted network or loopback. */
    IMAP("imap", 143, false),
    /** Plain connect, then STARTTLS; the link fails if the server does not offer it, never falling back. */
    IMAP_STARTTLS("imap+starttls", 143, true),
    /** Implicit TLS from the first byte. */
    IMAPS("imaps", 993, true);

    private final String scheme;
    private final int defaultPort;
    private final boolean tls;

    ImapScheme(String scheme, int defaultPort, boolean tls) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
        this.tls = tls;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether the link is encrypted (at once or after STARTTLS). */
    @Override
    public boolean usesTls() {
        return tls;
    }

    @Override
    public boolean implicitTls() {
        return this == IMAPS;
    }

    public static Optional<ImapScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
