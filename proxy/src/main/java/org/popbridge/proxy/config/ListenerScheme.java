package org.popbridge.proxy.config;

import java.util.Arrays;
import java.util.Optional;

/** How clients reach a listener. */
public enum ListenerScheme {
    /** Plain POP3 (RFC 1939); STLS (RFC 2595) is offered when a certificate is available. */
    POP3("pop3", 110),
    /** Implicit TLS (RFC 8314). */
    POP3S("pop3s", 995);

    private final String scheme;
    private final int defaultPort;

    ListenerScheme(String scheme, int defaultPort) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
    }

    public String scheme() {
        return scheme;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public static Optional<ListenerScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
