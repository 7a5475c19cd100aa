package org.popbridge.proxy.core.upstream;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether popbridge opens an upstream connection with a PROXY header, and which version of
 * HAProxy's PROXY protocol (section 2.1, the text form; section 2.2, the binary form).
 */
public enum ProxyHeader {
    /** No header: the server sees popbridge as the client. */
    NONE(null),
    /** The human-readable header, "PROXY TCP4 ..." and CRLF. */
    V1(HAProxyProtocolVersion.V1),
    /** The binary header, what Dovecot's {@code haproxy_trusted_networks} and Postfix's postscreen read. */
    V2(HAProxyProtocolVersion.V2);

    private final HAProxyProtocolVersion version;

    ProxyHeader(HAProxyProtocolVersion version) {
        this.version = version;
    }

    /** netty's name for the version; null for {@link #NONE}. */
    public HAProxyProtocolVersion version() {
        return version;
    }

    /** How the config writes it: v1 or v2. */
    public String written() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The version written {@code v1} or {@code v2}, in any case. */
    public static Optional<ProxyHeader> of(String written) {
        return Arrays.stream(values()).filter(h -> h != NONE && h.written().equalsIgnoreCase(written.strip()))
                .findFirst();
    }
}
