package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import org.popbridge.proxy.core.session.SessionLimits;

/** The per-session limits, as configured under {@code limits:}. */
public record LimitsConfig(SessionLimits session, Duration clientHandshakeTimeout) {

    static final Duration DEFAULT_CLIENT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    @JsonCreator
    public static LimitsConfig of(
            @JsonProperty("command-line-octets") Integer commandLineOctets,
            @JsonProperty("sasl-line-octets") Integer saslLineOctets,
            @JsonProperty("protocol-errors") Integer protocolErrors,
            @JsonProperty("idle-timeout") Duration idleTimeout,
            @JsonProperty("pipelined-commands") Integer pipelinedCommands,
            @JsonProperty("client-handshake-timeout") Duration clientHandshakeTimeout) {
        SessionLimits defaults = SessionLimits.defaults();
        return new LimitsConfig(new SessionLimits(
                within(commandLineOctets, defaults.commandLineOctets(), 16, 65536, "command-line-octets"),
                within(saslLineOctets, defaults.saslLineOctets(), 64, 1 << 20, "sasl-line-octets"),
                within(protocolErrors, defaults.protocolErrors(), 1, 1000, "protocol-errors"),
                UpstreamConfig.positive(idleTimeout, defaults.idleTimeout(), "idle-timeout"),
                within(pipelinedCommands, defaults.pipelinedCommands(), 1, 10000, "pipelined-commands")),
                UpstreamConfig.positive(clientHandshakeTimeout, DEFAULT_CLIENT_HANDSHAKE_TIMEOUT, "client-handshake-timeout"));
    }

    public static LimitsConfig defaults() {
        return of(null, null, null, null, null, null);
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
