package org.popbridge.proxy.upstream.imap.client;

/**
 * "* VANISHED [(EARLIER)] uid-set" (RFC 7162 section 3.2.10, RFC 9051 with UIDONLY):
 * these UIDs are gone. {@code earlier} marks a report of expunges from before this command.
 */
public record VanishedResponse(boolean earlier, UidSet uids) implements ImapResponse {
}
