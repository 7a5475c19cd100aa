package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import org.popbridge.proxy.core.session.CidrBlock;
import org.popbridge.proxy.core.session.ClientLimits;
import org.popbridge.proxy.core.session.SessionLimits;

/**
 * The per-session limits, as configured under {@code limits:}.
 *
 * @param maxMessageSize the largest message, in octets, an SMTP listener accepts (what it
 *     announces as SIZE, RFC 1870)
 * @param clients the limits on clients: connections, logins and their failures (shared by every listener)
 */
public record LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout, long maxMessageSize,
                           ClientLimits clients) {

    static final Duration DEFAULT_CLIENT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 50L << 20;
    static final long MIN_MAX_MESSAGE_SIZE = 1L << 10;
    static final long MAX_MAX_MESSAGE_SIZE = 2L << 30;

    public LimitsConfig {
        java.util.Objects.requireNonNull(clients, "clients");
        if (maxMessageSize < MIN_MAX_MESSAGE_SIZE || maxMessageSize > MAX_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be between " + MIN_MAX_MESSAGE_SIZE + " and "
                    + MAX_MAX_MESSAGE_SIZE + ", got " + maxMessageSize);
        }
    }

    /** Limits with the default largest message (50MB). */
    public LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout) {
        this(session, clientHandshakeTimeout, DEFAULT_MAX_MESSAGE_SIZE);
    }

    /** Limits with the default client limits. */
    public LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout, long maxMessageSize) {
        this(session, clientHandshakeTimeout, maxMessageSize, ClientLimits.defaults());
    }

    /** Sizes are written like 50MB or 1GB. */
    @JsonCreator
    public static LimitsConfig of(
            @JsonProperty("command-line-octets") Integer commandLineOctets,
            @JsonProperty("sasl-line-octets") Integer saslLineOctets,
            @JsonProperty("protocol-errors") Integer protocolErrors,
            @JsonProperty("idle-timeout") Duration idleTimeout,
            @JsonProperty("pipelined-commands") Integer pipelinedCommands,
            @JsonProperty("client-handshake-timeout") Duration clientHandshakeTimeout,
            @JsonProperty("max-message-size") String maxMessageSize,
            @JsonProperty("connections") Integer connections,
            @JsonProperty("connections-per-ip") Integer connectionsPerIp,
            @JsonProperty("connections-per-user-ip") Integer connectionsPerUserIp,
            @JsonProperty("login-timeout") Duration loginTimeout,
            @JsonProperty("auth-failures") Integer authFailures,
            @JsonProperty("auth-failure-delay") Duration authFailureDelay,
            @JsonProperty("exempt") List<String> exempt) {
        SessionLimits defaults = SessionLimits.defaults();
        ClientLimits clientDefaults = ClientLimits.defaults();
        ClientLimits clients = new ClientLimits(
                within(connections, clientDefaults.connections(), 1, 1_000_000, "connections"),
                within(connectionsPerIp, clientDefaults.connectionsPerIp(), 1, 1_000_000, "connections-per-ip"),
                within(connectionsPerUserIp, clientDefaults.connectionsPerUserIp(), 1, 100_000, "connections-per-user-ip"),
                UpstreamConfig.positive(loginTimeout, clientDefaults.loginTimeout(), "login-timeout"),
                within(authFailures, clientDefaults.authFailures(), 1, 100, "auth-failures"),
                delay(authFailureDelay, clientDefaults.authFailureDelay()),
                networks(exempt));
        return new LimitsConfig(new SessionLimits(
                within(commandLineOctets, defaults.commandLineOctets(), 16, 65536, "command-line-octets"),
                within(saslLineOctets, defaults.saslLineOctets(), 64, 1 << 20, "sasl-line-octets"),
                within(protocolErrors, defaults.protocolErrors(), 1, 1000, "protocol-errors"),
                UpstreamConfig.positive(idleTimeout, defaults.idleTimeout(), "idle-timeout"),
                within(pipelinedCommands, defaults.pipelinedCommands(), 1, 10000, "pipelined-commands")),
                UpstreamConfig.positive(clientHandshakeTimeout, DEFAULT_CLIENT_HANDSHAKE_TIMEOUT, "client-handshake-timeout"),
                maxMessageSize(maxMessageSize), clients);
    }

    /** The limits given up to max-message-size; the client limits take their defaults. */
    public static LimitsConfig of(Integer commandLineOctets, Integer saslLineOctets, Integer protocolErrors,
                                  Duration idleTimeout, Integer pipelinedCommands, Duration clientHandshakeTimeout,
                                  String maxMessageSize) {
        return of(commandLineOctets, saslLineOctets, protocolErrors, idleTimeout, pipelinedCommands,
                clientHandshakeTimeout, maxMessageSize, null, null, null, null, null, null, null);
    }

    private static Duration delay(Duration written, Duration fallback) {
        if (written == null) {
            return fallback;
        }
        if (written.isNegative() || written.compareTo(java.time.Duration.ofMinutes(1)) > 0) {
            throw new SettingException("auth-failure-delay", "must be between 0s and 1m, got " + written);
        }
        return written;
    }

    private static List<CidrBlock> networks(List<String> written) {
        if (written == null) {
            return List.of();
        }
        List<CidrBlock> blocks = new java.util.ArrayList<>();
        for (String network : written) {
            try {
                blocks.add(CidrBlock.parse(network));
            } catch (IllegalArgumentException e) {
                throw new SettingException("exempt", e.getMessage());
            }
        }
        return blocks;
    }

    /** The limits without max-message-size, which takes its default. */
    public static LimitsConfig of(Integer commandLineOctets, Integer saslLineOctets, Integer protocolErrors,
                                  Duration idleTimeout, Integer pipelinedCommands, Duration clientHandshakeTimeout) {
        return of(commandLineOctets, saslLineOctets, protocolErrors, idleTimeout, pipelinedCommands,
                clientHandshakeTimeout, (String) null);
    }

    public static LimitsConfig defaults() {
        return of(null, null, null, null, null, null, (String) null);
    }

    /** The same limits with another largest message, in octets. */
    public LimitsConfig withMaxMessageSize(long newMaxMessageSize) {
        return new LimitsConfig(session, clientHandshakeTimeout, newMaxMessageSize, clients);
    }

    private static long maxMessageSize(String written) {
        if (written == null) {
            return DEFAULT_MAX_MESSAGE_SIZE;
        }
        long octets = FilteringConfig.size(written, "max-message-size");
        if (octets < MIN_MAX_MESSAGE_SIZE || octets > MAX_MAX_MESSAGE_SIZE) {
            throw new SettingException("max-message-size", "must be between " + ByteSizes.format(MIN_MAX_MESSAGE_SIZE)
                    + " and " + ByteSizes.format(MAX_MAX_MESSAGE_SIZE) + ", got " + written);
        }
        return octets;
    }

    private static int within(Integer value, int defaultValue, int min, int max, String key) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw new SettingException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
