package org.popbridge.proxy.upstream.imap.client;

/**
 * Server text that does not follow the IMAP grammar (RFC 9051 section 9). The message
 * names what was wrong, never the whole response, which may carry mail data.
 */
public final class ImapSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImapSyntaxException(String message) {
        super(message);
    }
}
