package org.popbridge.proxy.upstream.imap.client;

/** All octets of the literal announced by the preceding {@link ResponseLine} have been passed on. */
public enum LiteralEnd implements ImapResponsePart {
    INSTANCE
}
