package org.popbridge.proxy.pop3.session;

/** Why the link to the upstream ended before the session did. */
public enum UpstreamFailure {
    /** No connection, TLS failed, a bad greeting, or STLS refused: the session never started. */
    UNAVAILABLE("[SYS/TEMP] Mail server unavailable, try again later"),
    /** The connection closed or broke during the session. */
    LOST("[SYS/TEMP] Connection to the mail server lost"),
    /** A reply did not arrive within the reply timeout. */
    TIMED_OUT("[SYS/TEMP] Mail server did not answer in time"),
    /** The upstream broke the protocol (an unsolicited or malformed reply). */
    PROTOCOL("[SYS/TEMP] Mail server sent an invalid reply");

    private final String clientText;

    UpstreamFailure(String clientText) {
        this.clientText = clientText;
    }

    /** What the client is told (never the cause's own text). */
    public String clientText() {
        return clientText;
    }
}
