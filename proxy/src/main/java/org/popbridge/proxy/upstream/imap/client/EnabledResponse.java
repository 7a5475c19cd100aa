package org.popbridge.proxy.upstream.imap.client;

/** "* ENABLED ..." (RFC 5161 section 3.2): what an ENABLE command turned on, e.g. UTF8=ACCEPT. */
public record EnabledResponse(Capabilities enabled) implements ImapResponse {
}
