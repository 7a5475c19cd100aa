package org.popbridge.proxy.core.session;

import java.time.Duration;

/**
 * The bounds a client session runs within.
 *
 * @param commandLineOctets longest command line accepted, CRLF included (RFC 2449: 255)
 * @param saslLineOctets longest RFC 5034 SASL response line accepted
 * @param protocolErrors consecutive protocol errors tolerated before the session is closed
 * @param idleTimeout inactivity after which the session is closed without UPDATE (RFC 1939: at least 10 minutes)
 * @param pipelinedCommands commands buffered from a pipelining client before reading pauses
 */
public record SessionLimits(
        int commandLineOctets, int saslLineOctets, int protocolErrors, Duration idleTimeout, int pipelinedCommands) {

    public static SessionLimits defaults() {
        return new SessionLimits(255, 8192, 10, Duration.ofMinutes(10), 64);
    }
}
