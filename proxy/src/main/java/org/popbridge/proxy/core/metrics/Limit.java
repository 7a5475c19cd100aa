package org.popbridge.proxy.core.metrics;

/** A limit a client ran into, under its name in the {@code limits:} block of the config. */
public enum Limit {
    CONNECTIONS("connections"),
    CONNECTIONS_PER_IP("connections-per-ip"),
    CONNECTIONS_PER_USER_IP("connections-per-user-ip"),
    LOGIN_TIMEOUT("login-timeout"),
    IDLE_TIMEOUT("idle-timeout"),
    AUTH_FAILURES("auth-failures"),
    PROTOCOL_ERRORS("protocol-errors"),
    COMMAND_LINE_OCTETS("command-line-octets"),
    MAX_MESSAGE_SIZE("max-message-size");

    private final String key;

    Limit(String key) {
        this.key = key;
    }

    /** The config key, which is also the label value. */
    public String key() {
        return key;
    }
}
