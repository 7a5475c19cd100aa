package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything popbridge runs with: what it listens on, where it relays, the certificate it
 * serves, where it keeps state, the session limits and the shutdown grace period.
 */
public record PopbridgeConfig(
        List<ListenerConfig> listen,
        UpstreamConfig upstream,
        TlsConfig tls,
        Path stateDir,
        LimitsConfig limits,
        Duration shutdownGrace) {

    /** Used when neither the file nor the command line names a listener. */
    public static final List<ListenerConfig> DEFAULT_LISTENERS = List.of(
            ListenerConfig.parse("pop3://127.0.0.1:1110"), ListenerConfig.parse("pop3s://127.0.0.1:1995"));
    public static final Path DEFAULT_STATE_DIR = Path.of("popbridge-state");
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    @JsonCreator
    public static PopbridgeConfig of(
            @JsonProperty("listen") List<ListenerConfig> listen,
            @JsonProperty("upstream") UpstreamConfig upstream,
            @JsonProperty("tls") TlsConfig tls,
            @JsonProperty("state-dir") Path stateDir,
            @JsonProperty("limits") LimitsConfig limits,
            @JsonProperty("shutdown-grace") Duration shutdownGrace) {
        if (shutdownGrace != null && shutdownGrace.isNegative()) {
            throw new SettingException("shutdown-grace", "must not be negative");
        }
        return new PopbridgeConfig(
                listen == null || listen.isEmpty() ? DEFAULT_LISTENERS : List.copyOf(listen),
                upstream,
                tls == null ? TlsConfig.none() : tls,
                stateDir == null ? DEFAULT_STATE_DIR : stateDir,
                limits == null ? LimitsConfig.defaults() : limits,
                shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace);
    }

    /** The configuration of a run with no file: defaults everywhere. */
    public static PopbridgeConfig defaults() {
        return of(null, null, null, null, null, null);
    }

    public PopbridgeConfig withListen(List<ListenerConfig> newListen) {
        return new PopbridgeConfig(List.copyOf(newListen), upstream, tls, stateDir, limits, shutdownGrace);
    }

    public PopbridgeConfig withUpstream(UpstreamConfig newUpstream) {
        return new PopbridgeConfig(listen, newUpstream, tls, stateDir, limits, shutdownGrace);
    }

    public PopbridgeConfig withTls(TlsConfig newTls) {
        return new PopbridgeConfig(listen, upstream, newTls, stateDir, limits, shutdownGrace);
    }

    public PopbridgeConfig withStateDir(Path newStateDir) {
        return new PopbridgeConfig(listen, upstream, tls, newStateDir, limits, shutdownGrace);
    }

    public PopbridgeConfig withLimits(LimitsConfig newLimits) {
        return new PopbridgeConfig(listen, upstream, tls, stateDir, newLimits, shutdownGrace);
    }

    public PopbridgeConfig withShutdownGrace(Duration newGrace) {
        return new PopbridgeConfig(listen, upstream, tls, stateDir, limits, newGrace);
    }
}
