package org.popbridge.proxy.config;

import java.util.Arrays;
import java.util.Optional;

/** How clients reach a listener: the protocol they speak there, and whether TLS starts at once. */
public enum ListenerScheme {
    /** Plain POP3 (RFC 1939); STLS (RFC 2595) is offered when a certificate is available. */
    POP3("pop3", 110, Protocol.POP3, false),
    /** POP3 over implicit TLS (RFC 8314). */
    POP3S("pop3s", 995, Protocol.POP3, true),
    /** SMTP submission (RFC 6409) that offers STARTTLS (RFC 3207). */
    SMTP("smtp", 587, Protocol.SMTP, false),
    /** SMTP submission over implicit TLS (RFC 8314). */
    SMTPS("smtps", 465, Protocol.SMTP, true);

    /** What clients speak on a listener: POP3 to read mail, SMTP to send it. */
    public enum Protocol { POP3, SMTP }

    private final String scheme;
    private final int defaultPort;
    private final Protocol protocol;
    private final boolean implicitTls;

    ListenerScheme(String scheme, int defaultPort, Protocol protocol, boolean implicitTls) {
        this.scheme = scheme;
        this.defaultPort = defaultPort;
        this.protocol = protocol;
        this.implicitTls = implicitTls;
    }

    public String scheme() {
        return scheme;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** Whether TLS starts with the connection (pop3s, smtps) rather than after STLS or STARTTLS. */
    public boolean implicitTls() {
        return implicitTls;
    }

    /** The listener URL schemes, as an error message lists them: "pop3://, pop3s://, smtp:// or smtps://". */
    static String written() {
        StringBuilder text = new StringBuilder();
        ListenerScheme[] all = values();
        for (int i = 0; i < all.length; i++) {
            text.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].scheme).append("://");
        }
        return text.toString();
    }

    public static Optional<ListenerScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
