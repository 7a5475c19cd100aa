package org.popbridge.filters;

import java.util.Objects;

/**
 * The session a {@link SessionFilter} is made for.
 *
 * @param id the session id used in every log line of the session
 * @param client the client's address, as ip:port
 * @param listener the listener it connected to, such as {@code pop3s://0.0.0.0:995}
 * @param upstream the upstream it is relayed to, as a URL such as {@code pop3s://mail.example:995}
 * @param direction incoming for a POP3 session (reading), outgoing for an SMTP one (sending)
 */
public record SessionInfo(String id, String client, String listener, String upstream, Direction direction) {

    public SessionInfo {
        Objects.requireNonNull(direction, "direction");
    }

    /** A POP3 session. */
    public SessionInfo(String id, String client, String listener, String upstream) {
        this(id, client, listener, upstream, Direction.INCOMING);
    }
}
