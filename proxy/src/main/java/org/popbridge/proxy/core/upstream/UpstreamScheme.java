package org.popbridge.proxy.core.upstream;

import java.util.Arrays;
import java.util.Optional;

/** How popbridge reaches an upstream: which protocol, and how its TLS starts. */
public enum UpstreamScheme {
    /** Plain POP3; only sensible on a trusted network or loopback. */
    POP3("pop3", Protocol.POP3, 110, false),
    /** Plain connect, then STLS (RFC 2595); the session fails if the upstream refuses it. */
    POP3_STLS("pop3+stls", Protocol.POP3, 110, true),
    /** Implicit TLS from the first byte (RFC 8314). */
    POP3S("pop3s", Protocol.POP3, 995, true),
    /** Plain IMAP; only sensible on a trusted network or loopback. */
    IMAP("imap", Protocol.IMAP, 143, false),
    /** Plain connect, then STARTTLS (RFC 9051 section 6.2.1); fails if not offered, never falling back. */
    IMAP_STARTTLS("imap+starttls", Protocol.IMAP, 143, true),
    /** Implicit TLS from the first byte (RFC 8314). */
    IMAPS("imaps", Protocol.IMAP, 993, true);

    /** The protocol the upstream speaks. */
    public enum Protocol { POP3, IMAP }

    private final String scheme;
    private final Protocol protocol;
    private final int defaultPort;
    private final boolean tls;

    UpstreamScheme(String scheme, Protocol protocol, int defaultPort, boolean tls) {
        this.scheme = scheme;
        this.protocol = protocol;
        this.defaultPort = defaultPort;
        this.tls = tls;
    }

    public String scheme() {
        return scheme;
    }

    public Protocol protocol() {
        return protocol;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Whether the link to the upstream is encrypted (at once or after STLS/STARTTLS). */
    public boolean usesTls() {
        return tls;
    }

    /** Whether TLS starts with the first byte, so the connector puts it in front at once. */
    public boolean implicitTls() {
        return this == POP3S || this == IMAPS;
    }

    public static Optional<UpstreamScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
