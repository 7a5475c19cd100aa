package org.popbridge.filters;

import java.time.Duration;

/**
 * What happened in a session, as the audit log records it.
 *
 * @param session the session
 * @param user the user name given, or null if none
 * @param commands how many commands the client sent
 * @param retrieved messages sent to the client whole by RETR
 * @param deleted messages marked by DELE and deleted upstream by QUIT
 * @param sent messages the submission server accepted (SMTP)
 * @param octetsFromClient octets the client sent, TLS records excluded
 * @param octetsToClient octets sent to the client, TLS records excluded
 * @param duration from connect to close
 * @param clientTls the TLS between client and proxy
 * @param upstreamTls the TLS between proxy and upstream
 * @param end how the session ended, such as {@code QUIT} or {@code client disconnected}
 */
public record SessionSummary(
        SessionInfo session,
        String user,
        int commands,
        int retrieved,
        int deleted,
        int sent,
        long octetsFromClient,
        long octetsToClient,
        Duration duration,
        TlsSummary clientTls,
        TlsSummary upstreamTls,
        String end) {

    /** The summary of a POP3 session, which sends nothing. */
    public SessionSummary(SessionInfo session, String user, int commands, int retrieved, int deleted,
                          long octetsFromClient, long octetsToClient, Duration duration, TlsSummary clientTls,
                          TlsSummary upstreamTls, String end) {
        this(session, user, commands, retrieved, deleted, 0, octetsFromClient, octetsToClient, duration, clientTls,
                upstreamTls, end);
    }
}
