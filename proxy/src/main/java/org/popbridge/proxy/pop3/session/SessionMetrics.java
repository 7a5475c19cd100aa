package org.popbridge.proxy.pop3.session;

import java.time.Duration;
import java.time.Instant;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.metrics.LoginFailure;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.pop3.Pop3State;

/**
 * What a session did, for the line logged when it ends; the listener's meters hear each event as
 * it happens, so this is the one place a POP3 session counts a message or a login.
 */
final class SessionMetrics {

    private final ListenerMeters meters;
    private final Instant start = Instant.now();
    private int commands;
    private int retrieved;
    private int marked;
    private int deleted;
    private long bodyOctets;

    SessionMetrics(ListenerMeters meters) {
        this.meters = meters;
    }

    void command(String keyword) {
        commands++;
    }

    /** A RETR reply went to the client whole. */
    void retrieved() {
        retrieved++;
        meters.retrieved();
    }

    /** A DELE was accepted upstream. */
    void marked() {
        marked++;
    }

    /** RSET was accepted upstream: no message is marked any more. */
    void unmarked() {
        marked = 0;
    }

    /** QUIT was accepted in TRANSACTION: what was marked is now deleted upstream. */
    void deletionsApplied() {
        meters.deleted(marked);
        deleted = marked;
        marked = 0;
    }

    /** A login failed, for this reason. */
    void loginFailed(LoginFailure reason) {
        meters.loginFailed(reason);
    }

    int commands() {
        return commands;
    }

    int retrievedCount() {
        return retrieved;
    }

    int deletedCount() {
        return deleted;
    }

    Instant start() {
        return start;
    }

    void relayed(int octets) {
        bodyOctets += octets;
    }

    /**
     * The line logged at the end; {@code user} as the log shows it. Its fields are named as the
     * audit log's summary names them (snake_case: retrieved, deleted, duration_ms), so one
     * session's two summary lines never say the same thing in two vocabularies.
     */
    String summary(LogText user, Pop3State finalState) {
        long millis = Duration.between(start, Instant.now()).toMillis();
        return String.format("user=%s state=%s commands=%d retrieved=%d deleted=%d body_octets=%d duration_ms=%d",
                user, finalState, commands, retrieved, deleted, bodyOctets, millis);
    }
}
