package org.popbridge.proxy.upstream.imap.client;

import java.util.Arrays;

/**
 * Octets of a command to send in one go. When {@code awaitsContinuation} is true they end
 * with a synchronizing literal announcement "{n}" CRLF: the sender waits for the server's
 * continuation request ("+") before the next segment, and a tagged NO or BAD instead
 * ends the command (RFC 9051 section 7.5).
 */
public record CommandSegment(byte[] octets, boolean awaitsContinuation) {

    public CommandSegment {
        octets = octets.clone();
    }

    @Override
    public byte[] octets() {
        return octets.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CommandSegment segment && segment.awaitsContinuation == awaitsContinuation
                && Arrays.equals(segment.octets, octets);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(octets) + Boolean.hashCode(awaitsContinuation);
    }

    /** Never the octets: a segment may carry a password. */
    @Override
    public String toString() {
        return "CommandSegment[" + octets.length + " octets" + (awaitsContinuation ? ", awaits continuation]" : "]");
    }
}
