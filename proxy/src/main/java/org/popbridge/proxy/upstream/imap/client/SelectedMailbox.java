package org.popbridge.proxy.upstream.imap.client;

/**
 * What SELECT reported (RFC 9051 section 6.3.2).
 *
 * @param uidValidity from "[UIDVALIDITY n]": with a UID it names a message across sessions
 * @param exists from "* n EXISTS"
 * @param readOnly "[READ-ONLY]": deletions cannot be applied
 */
public record SelectedMailbox(String name, long uidValidity, long exists, boolean readOnly) {
}
