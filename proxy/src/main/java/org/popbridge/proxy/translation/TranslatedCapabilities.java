package org.popbridge.proxy.translation;

import java.util.List;
import org.popbridge.proxy.session.UpstreamCapabilities;

/**
 * What a POP3 client can do with an IMAP-backed maildrop (RFC 2449): every RFC 1939 command
 * with TOP and UIDL, USER and SASL PLAIN and LOGIN logins, pipelining (commands queue and are
 * answered in order), and RFC 2449/3206 response codes. The session adds STLS and its own
 * lines as for any upstream.
 */
final class TranslatedCapabilities {

    static final UpstreamCapabilities ADVERTISED = new UpstreamCapabilities(List.of(
            "TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"));

    private TranslatedCapabilities() {
    }
}
