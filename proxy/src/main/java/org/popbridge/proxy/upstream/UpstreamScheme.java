package org.popbridge.proxy.upstream;

import java.util.Arrays;
import java.util.Optional;

/** How popbridge reaches a POP3 upstream. */
public enum UpstreamScheme implements TransportScheme {
    /** Plain POP3; only sensible on a trusted network or loopback. */
    POP3("pop3", 110, false),
    /** Plain connect, then STLS (RFC 2595); the session fails if the upstream refuses it. */
    POP3_STLS("pop3+stls", 110, true),
    /** Implicit TLS from the first byte (RFC 8314). */
    POP3S("pop3s", 995, true);

    private final String scheme;
    private final int defaultPort;
    private final boolean tls;

    UpstreamScheme(String scheme, int defaultPort, boolean tls) {
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

    /** Whether the link to the upstream is encrypted (at once or after STLS). */
    @Override
    public boolean usesTls() {
        return tls;
    }

    @Override
    public boolean implicitTls() {
        return this == POP3S;
    }

    public static Optional<UpstreamScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
