package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * The mail server sessions are relayed to, POP3 or IMAP. Written as a URL or as an object.
 *
 * @param ca PEM bundle trusted in addition to the system trust store, or null
 * @param insecure turns off certificate and host name verification for this upstream
 * @param replyTimeout how long the upstream may stay silent while a reply is awaited
 * @param imap how an IMAP upstream's mailbox is read; null exactly when the upstream speaks POP3
 */
public record UpstreamConfig(
        UpstreamScheme scheme,
        String host,
        int port,
        Path ca,
        boolean insecure,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration replyTimeout,
        ImapOptions imap) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(60);

    /** Checks that IMAP settings come with an IMAP scheme and only with one. */
    public UpstreamConfig {
        Objects.requireNonNull(scheme, "scheme");
        if (speaksImap(scheme) != (imap != null)) {
            throw new IllegalArgumentException("IMAP settings go with an IMAP upstream and only with it");
        }
    }

    /** An upstream with the default IMAP settings if its scheme is an IMAP one, none otherwise. */
    public UpstreamConfig(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                          Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout) {
        this(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                speaksImap(scheme) ? ImapOptions.defaults() : null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UpstreamConfig parse(String url) {
        return of(url, null, null, null, null, null, null, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static UpstreamConfig of(
            @JsonProperty("url") String url,
            @JsonProperty("ca") Path ca,
            @JsonProperty("insecure") Boolean insecure,
            @JsonProperty("connect-timeout") Duration connectTimeout,
            @JsonProperty("handshake-timeout") Duration handshakeTimeout,
            @JsonProperty("reply-timeout") Duration replyTimeout,
            @JsonProperty("folder") String folder,
            @JsonProperty("mark-seen") Boolean markSeen,
            @JsonProperty("without-uidplus") String withoutUidplus,
            @JsonProperty("move-to") String moveTo) {
        if (url == null) {
            throw new SettingException("url", "the upstream needs a url, e.g. pop3s://mail.example.com:995");
        }
        HostPort parsed = HostPort.parse(url, -1);
        UpstreamScheme scheme = UpstreamScheme.of(parsed.scheme()).orElseThrow(() -> new SettingException("url",
                "unknown upstream scheme '" + parsed.scheme() + "' (use pop3://, pop3+stls://, pop3s://, "
                        + "imap://, imap+starttls:// or imaps://)"));
        int port = parsed.port() < 0 ? scheme.defaultPort() : parsed.port();
        ImapOptions imap = ImapSettings.read(scheme, HostPort.format(scheme.scheme(), parsed.host(), port),
                folder, markSeen, withoutUidplus, moveTo);
        return new UpstreamConfig(scheme, parsed.host(), port, ca, insecure != null && insecure,
                positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connect-timeout"),
                positive(handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, "handshake-timeout"),
                positive(replyTimeout, DEFAULT_REPLY_TIMEOUT, "reply-timeout"),
                imap);
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

    private static boolean speaksImap(UpstreamScheme scheme) {
        return scheme.protocol() == UpstreamScheme.Protocol.IMAP;
    }

    public UpstreamConfig withCa(Path newCa) {
        return new UpstreamConfig(scheme, host, port, newCa, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap);
    }

    public UpstreamConfig withInsecure(boolean newInsecure) {
        return new UpstreamConfig(scheme, host, port, ca, newInsecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap);
    }

    /**
     * The same settings pointed at another URL (a command-line --upstream over the file's). The
     * IMAP settings follow the protocol: kept from IMAP to IMAP, the defaults from POP3 to IMAP,
     * dropped from IMAP to POP3, whose maildrop has no folders or flags to apply them to.
     */
    public UpstreamConfig withUrl(String url) {
        UpstreamConfig target = parse(url);
        ImapOptions targetImap = target.imap == null ? null : imap != null ? imap : target.imap;
        return new UpstreamConfig(target.scheme, target.host, target.port, ca, insecure,
                connectTimeout, handshakeTimeout, replyTimeout, targetImap);
    }

    /** Whether sessions to this upstream translate POP3 into IMAP. */
    public boolean speaksImap() {
        return imap != null;
    }

    public String url() {
        return HostPort.format(scheme.scheme(), host, port);
    }
}
