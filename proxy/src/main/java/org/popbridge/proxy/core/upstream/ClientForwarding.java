package org.popbridge.proxy.core.upstream;

import java.util.Objects;

/**
 * What popbridge tells a mail server about the real client, so the server logs, limits and
 * locks out the client rather than popbridge: in the protocol before the login (POP3 XCLIENT,
 * IMAP ID as RFC 2971 allows, SMTP XCLIENT), in a PROXY header ahead of everything (HAProxy's
 * PROXY protocol, section 2), or both.
 *
 * @param inProtocol whether the address is sent in the protocol where the server offers a way
 * @param proxyHeader the PROXY header the connection opens with, if any
 */
public record ClientForwarding(boolean inProtocol, ProxyHeader proxyHeader) {

    public ClientForwarding {
        Objects.requireNonNull(proxyHeader, "proxyHeader");
    }

    /** Nothing is told: the server sees popbridge as the client. */
    public static ClientForwarding none() {
        return new ClientForwarding(false, ProxyHeader.NONE);
    }
}
