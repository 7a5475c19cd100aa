package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.popbridge.proxy.core.session.SessionLimits;

/**
 * The per-session limits, as configured under {@code limits:}.
 *
 * @param maxMessageSize the largest message, in octets, an SMTP listener accepts (what it
 *     announces as SIZE, RFC 1870)
 */
public record LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout, long maxMessageSize) {

    static final Duration DEFAULT_CLIENT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 50L << 20;
    static final long MIN_MAX_MESSAGE_SIZE = 1L << 10;
    static final long MAX_MAX_MESSAGE_SIZE = 2L << 30;

    public LimitsConfig {
        if (maxMessageSize < MIN_MAX_MESSAGE_SIZE || maxMessageSize > MAX_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be between " + MIN_MAX_MESSAGE_SIZE + " and "
                    + MAX_MAX_MESSAGE_SIZE + ", got " + maxMessageSize);
        }
    }

    /** Limits with the default largest message (50MB). */
    public LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout) {
        this(session, clientHandshakeTimeout, DEFAULT_MAX_MESSAGE_SIZE);
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
            @JsonProperty("max-message-size") String maxMessageSize) {
        SessionLimits defaults = SessionLimits.defaults();
        return new LimitsConfig(new SessionLimits(
                within(commandLineOctets, defaults.commandLineOctets(), 16, 65536, "command-line-octets"),
                within(saslLineOctets, defaults.saslLineOctets(), 64, 1 << 20, "sasl-line-octets"),
                within(protocolErrors, defaults.protocolErrors(), 1, 1000, "protocol-errors"),
                UpstreamConfig.positive(idleTimeout, defaults.idleTimeout(), "idle-timeout"),
                within(pipelinedCommands, defaults.pipelinedCommands(), 1, 10000, "pipelined-commands")),
                UpstreamConfig.positive(clientHandshakeTimeout, DEFAULT_CLIENT_HANDSHAKE_TIMEOUT, "client-handshake-timeout"),
                maxMessageSize(maxMessageSize));
    }

    /** The limits without max-message-size, which takes its default. */
    public static LimitsConfig of(Integer commandLineOctets, Integer saslLineOctets, Integer protocolErrors,
                                  Duration idleTimeout, Integer pipelinedCommands, Duration clientHandshakeTimeout) {
        return of(commandLineOctets, saslLineOctets, protocolErrors, idleTimeout, pipelinedCommands,
                clientHandshakeTimeout, null);
    }

    public static LimitsConfig defaults() {
        return of(null, null, null, null, null, null, null);
    }

    /** The same limits with another largest message, in octets. */
    public LimitsConfig withMaxMessageSize(long newMaxMessageSize) {
        return new LimitsConfig(session, clientHandshakeTimeout, newMaxMessageSize);
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
