package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.popbridge.proxy.core.session.ClearLogins;
import org.popbridge.proxy.core.session.TrustedProxies;

/**
 * One listening socket: POP3 ({@code pop3://}, {@code pop3s://}) for reading mail, or SMTP
 * submission ({@code smtp://} with STARTTLS, {@code smtps://}) for sending it. Written as a URL
 * ({@code pop3s://0.0.0.0:995}) or as an object with {@code url}, {@code require-tls-for-auth},
 * {@code require-tls}, {@code tls} and {@code proxy-protocol}, the same keys for either protocol.
 *
 * @param requireTlsForAuth refuse USER, PASS and AUTH before TLS; null means "yes unless bound to loopback"
 * @param requireTls refuse every login before TLS, APOP too
 * @param tls the TLS profile and lists this listener offers (implicit TLS or after STLS/STARTTLS)
 * @param proxyProtocol the load balancers whose PROXY header every connection must begin with;
 *     null where clients connect directly
 */
public record ListenerConfig(ListenerScheme scheme, String host, int port, Boolean requireTlsForAuth,
                             ListenerTlsConfig tls, TrustedProxies proxyProtocol, boolean requireTls) {

    public ListenerConfig {
        if (requireTls && Boolean.FALSE.equals(requireTlsForAuth)) {
            throw new SettingException("require-tls", "true refuses every login before TLS, which "
                    + "require-tls-for-auth: false allows; drop one of them");
        }
    }

    /** A listener whose logins before TLS are as {@code requireTlsForAuth} says. */
    public ListenerConfig(ListenerScheme scheme, String host, int port, Boolean requireTlsForAuth,
                          ListenerTlsConfig tls, TrustedProxies proxyProtocol) {
        this(scheme, host, port, requireTlsForAuth, tls, proxyProtocol, false);
    }

    /** A listener with the modern TLS defaults. */
    public ListenerConfig(ListenerScheme scheme, String host, int port, Boolean requireTlsForAuth) {
        this(scheme, host, port, requireTlsForAuth, ListenerTlsConfig.defaults());
    }

    /** A listener that clients reach directly. */
    public ListenerConfig(ListenerScheme scheme, String host, int port, Boolean requireTlsForAuth,
                          ListenerTlsConfig tls) {
        this(scheme, host, port, requireTlsForAuth, tls, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ListenerConfig parse(String url) {
        return of(url, null, null, null, null);
    }

    /** A listener with the modern TLS defaults. */
    public static ListenerConfig of(String url, Boolean requireTlsForAuth) {
        return of(url, requireTlsForAuth, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static ListenerConfig of(
            @JsonProperty("url") String url,
            @JsonProperty("require-tls-for-auth") Boolean requireTlsForAuth,
            @JsonProperty("require-tls") Boolean requireTls,
            @JsonProperty("tls") ListenerTlsConfig tls,
            @JsonProperty("proxy-protocol") ProxyProtocolConfig proxyProtocol) {
        if (url == null) {
            throw new SettingException("url", "a listener needs a url, e.g. pop3s://0.0.0.0:995");
        }
        HostPort parsed = HostPort.parse(url, -1);
        ListenerScheme scheme = ListenerScheme.of(parsed.scheme()).orElseThrow(() -> new SettingException("url",
                "unknown listener scheme '" + parsed.scheme() + "' (use " + ListenerScheme.written() + ")"));
        int port = parsed.port() < 0 ? scheme.defaultPort() : parsed.port();
        return new ListenerConfig(scheme, parsed.host(), port, requireTlsForAuth,
                tls == null ? ListenerTlsConfig.defaults() : tls, proxyProtocol == null ? null : proxyProtocol.proxies(),
                requireTls != null && requireTls);
    }

    /** The same listener with other TLS settings. */
    public ListenerConfig withTls(ListenerTlsConfig newTls) {
        return new ListenerConfig(scheme, host, port, requireTlsForAuth, newTls, proxyProtocol, requireTls);
    }

    /** The same listener behind the load balancers {@code proxies} (null: clients connect directly). */
    public ListenerConfig withProxyProtocol(TrustedProxies proxies) {
        return new ListenerConfig(scheme, host, port, requireTlsForAuth, tls, proxies, requireTls);
    }

    /** What clients speak here: POP3 or SMTP submission. */
    public ListenerScheme.Protocol protocol() {
        return scheme.protocol();
    }

    /** Whether clients speak SMTP submission here (smtp:// or smtps://). */
    public boolean speaksSmtp() {
        return scheme.protocol() == ListenerScheme.Protocol.SMTP;
    }

    /** Whether TLS starts with the connection (pop3s://, smtps://) rather than after STLS or STARTTLS. */
    public boolean implicitTls() {
        return scheme.implicitTls();
    }

    /** Whether clear-text logins are refused before TLS on this listener. */
    public boolean tlsRequiredForAuth() {
        return requireTls || (requireTlsForAuth != null ? requireTlsForAuth : !isLoopback());
    }

    /** Which logins this listener takes before TLS. */
    public ClearLogins clearLogins() {
        return requireTls ? ClearLogins.NONE : tlsRequiredForAuth() ? ClearLogins.DIGEST_ONLY : ClearLogins.ALL;
    }

    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public String url() {
        return HostPort.format(scheme.scheme(), host, port);
    }
}
