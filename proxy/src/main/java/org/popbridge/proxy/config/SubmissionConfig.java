package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * The SMTP submission server mail from SMTP listeners is sent through, at the top level
 * ({@code submission:}) or in a route. Written as a URL ({@code smtps://smtp.example.com}) or
 * as an object with the keys and defaults of an upstream object ({@code url}, {@code ca},
 * {@code insecure}, {@code connect-timeout}, {@code handshake-timeout}, {@code reply-timeout})
 * plus {@code auth-mechanism}, {@code forward-client-address} (XCLIENT; {@code xclient} is its
 * older name), {@code proxy-protocol}, and {@code auth} with its {@code provider} (auth: oauth2, as
 * an upstream takes them).
 *
 * <p>Schemes: {@code smtp+starttls://} (port 587; the session fails if the server does not
 * offer STARTTLS), {@code smtps://} (implicit TLS, port 465), {@code smtp://} (plain, port 587;
 * warned about at start, as a plain upstream is).
 *
 * @param server how the server is reached: an {@link UpstreamConfig} with an SMTP scheme and no
 *     IMAP settings, so it can be connected (and warned about) as an upstream is
 * @param settings how mail is handed over once connected
 */
public record SubmissionConfig(UpstreamConfig server, SubmissionSettings settings) {

    /** Checks that the server speaks SMTP. */
    public SubmissionConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(settings, "settings");
        if (server.scheme().protocol() != UpstreamScheme.Protocol.SMTP) {
            throw new IllegalArgumentException("the submission server speaks SMTP, not " + server.url());
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SubmissionConfig parse(String url) {
        return of(url, null, null, null, null, null, null, null, null, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static SubmissionConfig of(
            @JsonProperty("url") String url,
            @JsonProperty("ca") Path ca,
            @JsonProperty("insecure") Boolean insecure,
            @JsonProperty("connect-timeout") Duration connectTimeout,
            @JsonProperty("handshake-timeout") Duration handshakeTimeout,
            @JsonProperty("reply-timeout") Duration replyTimeout,
            @JsonProperty("auth-mechanism") String authMechanism,
            @JsonProperty("xclient") Boolean xclient,
            @JsonProperty("forward-client-address") Boolean forwardClientAddress,
            @JsonProperty("proxy-protocol") String proxyProtocol,
            @JsonProperty("auth") String auth,
            @JsonProperty("provider") OAuthProviderConfig provider) {
        if (xclient != null && forwardClientAddress != null && !xclient.equals(forwardClientAddress)) {
            throw new SettingException("xclient", "xclient is the older name of forward-client-address; "
                    + "give one of them, not both with different values");
        }
        Boolean forward = forwardClientAddress != null ? forwardClientAddress : xclient;
        UpstreamConfig server = UpstreamConfig.bind(UpstreamConfig.Role.SUBMISSION, url, ca, insecure,
                connectTimeout, handshakeTimeout, replyTimeout, null, null, null, null, null)
                .withForwarding(UpstreamConfig.forwarding(forward, proxyProtocol))
                .withOAuth2(UpstreamAuthSettings.read(auth, provider, false));
        return new SubmissionConfig(server, SubmissionSettings.of(authMechanism, forward));
    }

    public UpstreamScheme scheme() {
        return server.scheme();
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** The server as {@code scheme://host:port}, with the scheme's port filled in. */
    public String url() {
        return server.url();
    }

    public Path ca() {
        return server.ca();
    }

    public boolean insecure() {
        return server.insecure();
    }

    public Duration connectTimeout() {
        return server.connectTimeout();
    }

    public Duration handshakeTimeout() {
        return server.handshakeTimeout();
    }

    public Duration replyTimeout() {
        return server.replyTimeout();
    }

    public SubmissionSettings.AuthMechanism authMechanism() {
        return settings.authMechanism();
    }

    public boolean xclient() {
        return settings.xclient();
    }

    /** Whether mail and passwords cross to the server unencrypted (smtp://), which start-up warns about. */
    public boolean plain() {
        return !server.scheme().usesTls();
    }

    /** The same settings pointed at another server (a command-line --submission over the file's). */
    public SubmissionConfig withUrl(String url) {
        return new SubmissionConfig(server.withSubmissionUrl(url), settings);
    }

    public SubmissionConfig withCa(Path newCa) {
        return new SubmissionConfig(server.withCa(newCa), settings);
    }

    public SubmissionConfig withInsecure(boolean newInsecure) {
        return new SubmissionConfig(server.withInsecure(newInsecure), settings);
    }

    public SubmissionConfig withSettings(SubmissionSettings newSettings) {
        return new SubmissionConfig(server, newSettings);
    }
}
