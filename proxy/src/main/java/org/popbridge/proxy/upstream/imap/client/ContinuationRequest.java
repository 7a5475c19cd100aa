package org.popbridge.proxy.upstream.imap.client;

import java.util.Optional;

/**
 * "+ text" (RFC 9051 section 7.6): send the rest of a command after a synchronizing
 * literal, or the next AUTHENTICATE response; {@code text} holds a SASL challenge.
 */
public record ContinuationRequest(Optional<ResponseCode> code, String text) implements ImapResponse {
}
