package org.popbridge.filters;

/**
 * The reply a client got to one command.
 *
 * @param command the command, masked
 * @param ok whether the status was +OK (POP3) or a 2xx or 3xx code (SMTP)
 * @param bodyOctets the octets of the multi-line body sent to the client, 0 for a one-line reply
 * @param status the status as the client saw it: {@code +OK} or {@code -ERR}, or an SMTP reply code such as {@code 250}
 */
public record SessionReply(SessionCommand command, boolean ok, long bodyOctets, String status) {

    /** A POP3 reply. */
    public SessionReply(SessionCommand command, boolean ok, long bodyOctets) {
        this(command, ok, bodyOctets, ok ? "+OK" : "-ERR");
    }
}
