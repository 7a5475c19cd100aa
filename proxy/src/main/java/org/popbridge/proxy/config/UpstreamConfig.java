package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.popbridge.proxy.core.upstream.ClientForwarding;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.ProxyHeader;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * The mail server sessions are relayed to, POP3 or IMAP. Written as a URL or as an object.
 * The submission server ({@link SubmissionConfig}) is bound the same way, with SMTP schemes.
 *
 * @param ca PEM bundle trusted in addition to the system trust store, or null
 * @param insecure turns off certificate and host name verification for this upstream
 * @param replyTimeout how long the upstream may stay silent while a reply is awaited
 * @param imap how an IMAP upstream's mailbox is read; null exactly when the upstream speaks POP3
 * @param forwarding what the server is told of the real client: {@code forward-client-address}
 *     (POP3 XCLIENT, IMAP ID, SMTP XCLIENT) and {@code proxy-protocol} (a PROXY header)
 * @param apop whether clients may log in with APOP (RFC 1939 section 7): the server's greeting
 *     timestamp is needed, so sessions connect to it as soon as a client does (invariant 8's one exception)
 * @param oauth2 {@code auth: oauth2}: the identity provider whose access tokens log users in; null for
 *     {@code auth: password}, where the client's own password goes to the server
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
        ImapOptions imap,
        ClientForwarding forwarding,
        boolean apop,
        OAuthProviderConfig oauth2) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(60);

    /** Checks that IMAP settings come with an IMAP scheme and only with one. */
    public UpstreamConfig {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(forwarding, "forwarding");
        if (speaksImap(scheme) != (imap != null)) {
            throw new IllegalArgumentException("IMAP settings go with an IMAP upstream and only with it");
        }
        if (apop && scheme.protocol() != UpstreamScheme.Protocol.POP3) {
            throw new IllegalArgumentException("APOP goes with a POP3 upstream only");
        }
        if (apop && oauth2 != null) {
            throw new IllegalArgumentException("APOP cannot go with auth: oauth2");
        }
    }

    /** An upstream whose users log in with their own password. */
    public UpstreamConfig(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                          Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout, ImapOptions imap,
                          ClientForwarding forwarding, boolean apop) {
        this(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout, imap, forwarding, apop,
                null);
    }

    /** An upstream without APOP. */
    public UpstreamConfig(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                          Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout, ImapOptions imap,
                          ClientForwarding forwarding) {
        this(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout, imap, forwarding, false);
    }

    /** An upstream told nothing of the client, without APOP. */
    public UpstreamConfig(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                          Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout, ImapOptions imap) {
        this(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout, imap,
                ClientForwarding.none());
    }

    /** An upstream with the default IMAP settings if its scheme is an IMAP one, none otherwise. */
    public UpstreamConfig(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                          Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout) {
        this(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                speaksImap(scheme) ? ImapOptions.defaults() : null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UpstreamConfig parse(String url) {
        return of(url, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
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
            @JsonProperty("move-to") String moveTo,
            @JsonProperty("uidl-format") String uidlFormat,
            @JsonProperty("forward-client-address") Boolean forwardClientAddress,
            @JsonProperty("proxy-protocol") String proxyProtocol,
            @JsonProperty("apop") Boolean apop,
            @JsonProperty("auth") String auth,
            @JsonProperty("provider") OAuthProviderConfig provider) {
        UpstreamConfig bound = bind(Role.MAILBOX, url, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                folder, markSeen, withoutUidplus, moveTo, uidlFormat).withForwarding(forwarding(forwardClientAddress, proxyProtocol));
        if (apop != null && apop && bound.scheme.protocol() != UpstreamScheme.Protocol.POP3) {
            throw new SettingException("apop", "only a POP3 upstream has APOP; an IMAP server gives no timestamp");
        }
        OAuthProviderConfig oauth = UpstreamAuthSettings.read(auth, provider, apop != null && apop);
        return (apop != null && apop ? bound.withApop(true) : bound).withOAuth2(oauth);
    }

    /** The same upstream with its users logging in with access tokens from {@code provider}, or with their password (null). */
    public UpstreamConfig withOAuth2(OAuthProviderConfig provider) {
        return new UpstreamConfig(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap, forwarding, apop, provider);
    }

    /** The same upstream with APOP offered to clients, or not. */
    public UpstreamConfig withApop(boolean newApop) {
        return new UpstreamConfig(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap, forwarding, newApop, oauth2);
    }

    /**
     * Binds {@code forward-client-address} (absent: false) and {@code proxy-protocol} (v1 or v2;
     * absent: no header), which every server takes.
     */
    static ClientForwarding forwarding(Boolean forwardClientAddress, String proxyProtocol) {
        ProxyHeader header = proxyProtocol == null ? ProxyHeader.NONE : ProxyHeader.of(proxyProtocol).orElseThrow(() ->
                new SettingException("proxy-protocol", "unknown PROXY protocol version '" + proxyProtocol
                        + "' (use v2, or v1 for a server that reads only the text header)"));
        return new ClientForwarding(forwardClientAddress != null && forwardClientAddress, header);
    }

    /** What a server is for, and so which schemes it takes: the mailbox read from, or the submission server. */
    enum Role {
        /** The upstream: POP3 or IMAP. */
        MAILBOX("upstream", "upstream", "the upstream needs a url, e.g. pop3s://mail.example.com:995",
                UpstreamScheme.Protocol.POP3, UpstreamScheme.Protocol.IMAP),
        /** The submission server: SMTP. */
        SUBMISSION("submission", "submission server", "the submission server needs a url, e.g. smtps://smtp.example.com:465",
                UpstreamScheme.Protocol.SMTP);

        private final String name;
        private final String noun;
        private final String needsUrl;
        private final List<UpstreamScheme.Protocol> protocols;

        Role(String name, String noun, String needsUrl, UpstreamScheme.Protocol... protocols) {
            this.name = name;
            this.noun = noun;
            this.needsUrl = needsUrl;
            this.protocols = List.of(protocols);
        }

        /** The schemes this role takes, as an error message lists them: "pop3://, pop3+stls:// ... or imaps://". */
        String schemes() {
            List<String> written = Arrays.stream(UpstreamScheme.values()).filter(s -> protocols.contains(s.protocol()))
                    .map(s -> s.scheme() + "://").toList();
            return String.join(", ", written.subList(0, written.size() - 1)) + " or " + written.get(written.size() - 1);
        }

        UpstreamScheme scheme(String written) {
            UpstreamScheme scheme = UpstreamScheme.of(written).orElseThrow(() -> new SettingException("url",
                    "unknown " + name + " scheme '" + written + "' (use " + schemes() + ")"));
            if (!protocols.contains(scheme.protocol())) {
                throw new SettingException("url", "'" + written + "' is " + (scheme.protocol() == UpstreamScheme.Protocol.SMTP
                        ? "for the submission server (submission:), which mail is sent through"
                        : "for the upstream (upstream:), which mail is read from")
                        + "; the " + noun + " takes " + schemes());
            }
            return scheme;
        }
    }

    /**
     * The keys every server takes, upstream or submission: the URL (a scheme {@code role} takes,
     * the scheme's port if none is given), the extra CA, insecure, and the three timeouts with
     * their defaults; and the IMAP keys, which only an IMAP scheme takes (the submission server
     * passes none).
     */
    static UpstreamConfig bind(Role role, String url, Path ca, Boolean insecure, Duration connectTimeout,
                               Duration handshakeTimeout, Duration replyTimeout,
                               String folder, Boolean markSeen, String withoutUidplus, String moveTo,
                               String uidlFormat) {
        if (url == null) {
            throw new SettingException("url", role.needsUrl);
        }
        HostPort parsed = HostPort.parse(url, -1);
        UpstreamScheme scheme = role.scheme(parsed.scheme());
        int port = parsed.port() < 0 ? scheme.defaultPort() : parsed.port();
        ImapOptions imap = ImapSettings.read(scheme, HostPort.format(scheme.scheme(), parsed.host(), port),
                folder, markSeen, withoutUidplus, moveTo, uidlFormat);
        return new UpstreamConfig(scheme, parsed.host(), port, ca, insecure != null && insecure,
                positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connect-timeout"),
                positive(handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, "handshake-timeout"),
                positive(replyTimeout, DEFAULT_REPLY_TIMEOUT, "reply-timeout"),
                imap);
    }

    /**
     * The same CA, insecure and timeouts pointed at another submission server (a command-line
     * --submission over the file's).
     */
    UpstreamConfig withSubmissionUrl(String url) {
        UpstreamConfig target = bind(Role.SUBMISSION, url, null, null, null, null, null, null, null, null, null, null);
        return new UpstreamConfig(target.scheme, target.host, target.port, ca, insecure,
                connectTimeout, handshakeTimeout, replyTimeout, null, forwarding, false, oauth2);
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
                imap, forwarding, apop, oauth2);
    }

    public UpstreamConfig withInsecure(boolean newInsecure) {
        return new UpstreamConfig(scheme, host, port, ca, newInsecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap, forwarding, apop, oauth2);
    }

    /** The same server, told {@code newForwarding} of each session's client. */
    public UpstreamConfig withForwarding(ClientForwarding newForwarding) {
        return new UpstreamConfig(scheme, host, port, ca, insecure, connectTimeout, handshakeTimeout, replyTimeout,
                imap, newForwarding, apop, oauth2);
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
                connectTimeout, handshakeTimeout, replyTimeout, targetImap, forwarding,
                apop && target.scheme.protocol() == UpstreamScheme.Protocol.POP3, oauth2);
    }

    /** Whether sessions to this upstream translate POP3 into IMAP. */
    public boolean speaksImap() {
        return imap != null;
    }

    public String url() {
        return HostPort.format(scheme.scheme(), host, port);
    }

    /** Whether users log in to this server with access tokens ({@code auth: oauth2}) rather than their password. */
    public boolean oauth() {
        return oauth2 != null;
    }
}
