package org.popbridge.filters;

/**
 * The session a {@link SessionFilter} is made for.
 *
 * @param id the session id used in every log line of the session
 * @param client the client's address, as ip:port
 * @param listener the listener it connected to, such as {@code pop3s://0.0.0.0:995}
 * @param upstream the upstream it is relayed to, as a URL such as {@code pop3s://mail.example:995}
 */
public record SessionInfo(String id, String client, String listener, String upstream) {}
