package org.popbridge.proxy.core.upstream;

import java.util.Arrays;
import java.util.Optional;

/**
 * How popbridge reaches an upstream (a POP3 or IMAP server mail is read from, or an SMTP
 * submission server mail is sent through): which protocol, and how its TLS starts.
 */
public enum UpstreamScheme {
    /** Plain POP3; only sensible on a trusted network or loopback. */
    POP3("pop3", Protocol.POP3, 110, false, false),
    /** Plain connect, then STLS (RFC 2595); the session fails if the upstream refuses it. */
    POP3_STLS("pop3+stls", Protocol.POP3, 110, true, false),
    /** Implicit TLS from the first byte (RFC 8314). */
    POP3S("pop3s", Protocol.POP3, 995, true, true),
    /** Plain IMAP; only sensible on a trusted network or loopback. */
    IMAP("imap", Protocol.IMAP, 143, false, false),
    /** Plain connect, then STARTTLS (RFC 9051 section 6.2.1); fails if not offered, never falling back. */
    IMAP_STARTTLS("imap+starttls", Protocol.IMAP, 143, true, false),
    /** Implicit TLS from the first byte (RFC 8314). */
    IMAPS("imaps", Protocol.IMAP, 993, true, true),
    /** Plain SMTP submission (RFC 6409); only sensible on a trusted network or loopback. */
    SMTP("smtp", Protocol.SMTP, 587, false, false),
    /** Plain connect, then STARTTLS (RFC 3207); the session fails if the server does not offer it. */
    SMTP_STARTTLS("smtp+starttls", Protocol.SMTP, 587, true, false),
    /** Submission over implicit TLS from the first byte (RFC 8314). */
    SMTPS("smtps", Protocol.SMTP, 465, true, true);

    /**
     * The protocol the upstream speaks: POP3 or IMAP for the server mail is read from, SMTP for
     * the submission server mail is sent through. {@code name()} is the protocol's usual name.
     */
    public enum Protocol { POP3, IMAP, SMTP }

    private final String scheme;
    private final Protocol protocol;
    private final int defaultPort;
    private final boolean tls;
    private final boolean implicitTls;

    UpstreamScheme(String scheme, Protocol protocol, int defaultPort, boolean tls, boolean implicitTls) {
        this.scheme = scheme;
        this.protocol = protocol;
        this.defaultPort = defaultPort;
        this.tls = tls;
        this.implicitTls = implicitTls;
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
        return implicitTls;
    }

    /** Whether TLS starts after a plain greeting, with STLS (POP3) or STARTTLS (IMAP, SMTP). */
    public boolean upgradesToTls() {
        return tls && !implicitTls;
    }

    public static Optional<UpstreamScheme> of(String scheme) {
        return Arrays.stream(values()).filter(s -> s.scheme.equalsIgnoreCase(scheme)).findFirst();
    }
}
