package org.popbridge.proxy.upstream.imap.client;

/** A response the parser does not interpret (FLAGS, LIST, STATUS, RECENT ...): its text as received. */
public record UnparsedResponse(String text) implements ImapResponse {
}
