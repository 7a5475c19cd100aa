package org.popbridge.filters;

/**
 * The reply a client got to one command.
 *
 * @param command the command, masked
 * @param ok whether the status was +OK
 * @param bodyOctets the octets of the multi-line body sent to the client, 0 for a one-line reply
 */
public record SessionReply(SessionCommand command, boolean ok, long bodyOctets) {}
