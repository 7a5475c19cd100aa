package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import org.popbridge.proxy.upstream.UpstreamScheme;

/**
 * The mail server sessions are relayed to. Written as a URL or as an object.
 *
 * @param ca PEM bundle trusted in addition to the system trust store, or null
 * @param insecure turns off certificate and host name verification for this upstream
 * @param replyTimeout how long the upstream may stay silent while a reply is awaited
 */
public record UpstreamConfig(
        UpstreamScheme scheme,
        String host,
        int port,
        Path ca,
        boolean insecure,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration replyTimeout) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(60);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UpstreamConfig parse(String url) {
        return of(url, null, null, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static UpstreamConfig of(
            @JsonProperty("url") String url,
            @JsonProperty("ca") Path ca,
            @JsonProperty("insecure") Boolean insecure,
            @JsonProperty("connect-timeout") Duration connectTimeout,
            @JsonProperty("handshake-timeout") Duration handshakeTimeout,
            @JsonProperty("reply-timeout") Duration replyTimeout) {
        if (url == null) {
            throw new SettingException("url", "the upstream needs a url, e.g. pop3s://mail.example.com:995");
        }
        HostPort parsed = HostPort.parse(url, -1);
        // IMAP schemes are known to the connector but not yet served by sessions (issue 5).
        UpstreamScheme scheme = UpstreamScheme.of(parsed.scheme())
                .orElseThrow(() -> new SettingException("url",
                        "unknown upstream scheme '" + parsed.scheme() + "' (use pop3://, pop3+stls:// or pop3s://)"));
        int port = parsed.port() < 0 ? scheme.defaultPort() : parsed.port();
        return new UpstreamConfig(scheme, parsed.host(), port, ca, insecure != null && insecure,
                positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connect-timeout"),
                positive(handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, "handshake-timeout"),
                positive(replyTimeout, DEFAULT_REPLY_TIMEOUT, "reply-timeout"));
    }

    static Duration positive(Duration value, Duration defaultValue, String key) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isNegative() || value.isZero()) {
            throw new SettingException(key, "must be more than zero");
        }
        return value;
    }

    public UpstreamConfig withCa(Path newCa) {
        return new UpstreamConfig(scheme, host, port, newCa, insecure, connectTimeout, handshakeTimeout, replyTimeout);
    }

    public UpstreamConfig withInsecure(boolean newInsecure) {
        return new UpstreamConfig(scheme, host, port, ca, newInsecure, connectTimeout, handshakeTimeout, replyTimeout);
    }

    /** The same settings pointed at another URL (a command-line --upstream over the file's). */
    public UpstreamConfig withUrl(String url) {
        UpstreamConfig target = parse(url);
        return new UpstreamConfig(target.scheme, target.host, target.port, ca, insecure,
                connectTimeout, handshakeTimeout, replyTimeout);
    }

    public String url() {
        return HostPort.format(scheme.scheme(), host, port);
    }
}
