package org.popbridge.proxy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.config.ByteSizes;
import org.popbridge.proxy.config.Durations;
import org.popbridge.proxy.config.FilteringConfig;
import org.popbridge.proxy.config.LimitsConfig;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.LoggingConfig;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.SniCertificateConfig;
import org.popbridge.proxy.config.SubmissionConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.session.ClientLimits;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.core.tls.KeyPassword;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ProxyHeader;

/**
 * The settings a start would run with, defaults filled in, as YAML in the file's own keys, for
 * check-config. A key password written in the file is shown as {@value #MASK}: this output goes
 * to terminals, tickets and chat. Filter settings are not shown, only each filter's name and
 * directions, since a filter's settings may hold anything.
 */
final class EffectiveSettings {

    static final String MASK = "********";

    private EffectiveSettings() {
    }

    static String yaml(PopbridgeConfig config) {
        try {
            return YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build().writeValueAsString(of(config));
        } catch (JsonProcessingException e) {
            // Maps of strings, numbers and lists always serialize.
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> of(PopbridgeConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("listen", config.listen().stream().map(EffectiveSettings::listener).toList());
        if (config.upstream() != null) {
            settings.put("upstream", upstream(config.upstream()));
        }
        if (config.submission() != null) {
            settings.put("submission", submission(config.submission()));
        }
        if (!config.routes().isEmpty()) {
            settings.put("routes", config.routes().stream().map(EffectiveSettings::route).toList());
        }
        settings.put("tls", tls(config.tls()));
        settings.put("state-dir", path(config.stateDir()));
        settings.put("limits", limits(config.limits()));
        settings.put("shutdown-grace", Durations.format(config.shutdownGrace()));
        settings.put("warm-up", config.warmUp());
        settings.put("filtering", filtering(config.filtering()));
        settings.put("filters", config.filterChain().entries().stream().map(EffectiveSettings::filter).toList());
        settings.put("logging", logging(config.logging()));
        if (config.metrics() != null) {
            settings.put("metrics", Map.of("listen", config.metrics().describe()));
        }
        return settings;
    }

    private static Map<String, Object> listener(ListenerConfig listener) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", listener.url());
        map.put("require-tls-for-auth", listener.tlsRequiredForAuth());
        map.put("require-tls", listener.requireTls());
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("profile", listener.tls().profile().name().toLowerCase(Locale.ROOT));
        tls.put("protocols", listener.tls().effectiveProtocols());
        map.put("tls", tls);
        if (listener.proxyProtocol() != null) {
            map.put("proxy-protocol", Map.of("trusted", listener.proxyProtocol().networks().stream()
                    .map(Object::toString).toList()));
        }
        return map;
    }

    private static Map<String, Object> logging(LoggingConfig logging) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("level", logging.level() == null ? "from POPBRIDGE_LOG_LEVEL, else info" : logging.level().toString());
        map.put("format", logging.format().toString());
        if (logging.file() != null) {
            map.put("file", path(logging.file()));
            map.put("max-file-size", ByteSizes.format(logging.maxFileSize()));
            map.put("max-history", logging.maxHistory());
        }
        return map;
    }

    private static Map<String, Object> upstream(UpstreamConfig upstream) {
        Map<String, Object> map = server(upstream);
        if (upstream.imap() != null) {
            map.put("folder", upstream.imap().folder());
            map.put("mark-seen", upstream.imap().markSeen());
            map.put("uidl-format", upstream.imap().uidlFormat().pattern());
            CommitFallback fallback = upstream.imap().withoutUidplus();
            if (fallback.mode() == CommitFallback.Mode.MOVE_TO_FOLDER) {
                map.put("move-to", fallback.folder());
            }
        }
        if (upstream.apop()) {
            map.put("apop", true);
        }
        return map;
    }

    private static Map<String, Object> submission(SubmissionConfig submission) {
        Map<String, Object> map = server(submission.server());
        map.put("auth-mechanism", submission.authMechanism().written());
        return map;
    }

    /** The keys every server has: URL, trust, timeouts, and what it is told of the client. */
    private static Map<String, Object> server(UpstreamConfig server) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", server.url());
        if (server.ca() != null) {
            map.put("ca", path(server.ca()));
        }
        map.put("insecure", server.insecure());
        map.put("connect-timeout", Durations.format(server.connectTimeout()));
        map.put("handshake-timeout", Durations.format(server.handshakeTimeout()));
        map.put("reply-timeout", Durations.format(server.replyTimeout()));
        map.put("forward-client-address", server.forwarding().inProtocol());
        if (server.forwarding().proxyHeader() != ProxyHeader.NONE) {
            map.put("proxy-protocol", server.forwarding().proxyHeader().written());
        }
        map.put("auth", server.oauth() ? "oauth2" : "password");
        if (server.oauth()) {
            map.put("provider", provider(server.oauth2()));
        }
        return map;
    }

    /** The provider as the file gives it, filled in; the secret's variable named, never its value. */
    private static Map<String, Object> provider(OAuthProviderConfig provider) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", provider.type().written());
        if (provider.tenant() != null) {
            map.put("tenant", provider.tenant());
        }
        map.put("token-url", provider.tokenUrl().toString());
        map.put("device-authorization-url", provider.deviceAuthorizationUrl().toString());
        if (provider.revocationUrl() != null) {
            map.put("revocation-url", provider.revocationUrl().toString());
        }
        map.put("client-id", provider.clientId());
        if (provider.clientSecretEnv() != null) {
            map.put("client-secret-env", provider.clientSecretEnv());
        }
        map.put("scopes", provider.scopes());
        map.put("mechanism", provider.mechanism().written());
        return map;
    }

    private static Map<String, Object> route(RouteConfig route) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("match", route.match().toString());
        if (route.hasUpstream()) {
            map.put("upstream", upstream(route.upstream()));
        }
        if (route.hasSubmission()) {
            map.put("submission", submission(route.submission()));
        }
        if (route.rewrite() instanceof UserRewrite.StripDomain) {
            map.put("strip-domain", true);
        } else if (route.rewrite() instanceof UserRewrite.AddDomain add) {
            map.put("add-domain", add.domain());
        }
        return map;
    }

    private static Map<String, Object> tls(TlsConfig tls) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (tls.configured()) {
            certificate(map, tls.cert(), tls.key(), tls.keyPassword());
        } else {
            map.put("cert", "(self-signed, generated in the state directory)");
        }
        if (!tls.sni().isEmpty()) {
            map.put("sni", tls.sni().stream().map(EffectiveSettings::sni).toList());
        }
        map.put("reload-interval", Durations.format(tls.reloadInterval()));
        map.put("engine", tls.engine().describe());
        return map;
    }

    private static Map<String, Object> sni(SniCertificateConfig entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("names", entry.names());
        certificate(map, entry.cert(), entry.key(), entry.keyPassword());
        return map;
    }

    private static void certificate(Map<String, Object> map, Path cert, Path key, KeyPassword password) {
        map.put("cert", path(cert));
        if (key != null) {
            map.put("key", path(key));
        }
        if (password.literal() != null) {
            map.put("key-password", MASK);
        }
        if (password.environmentVariable() != null) {
            // The variable's name, never its value.
            map.put("key-password-env", password.environmentVariable());
        }
    }

    private static Map<String, Object> limits(LimitsConfig limits) {
        SessionLimits session = limits.session();
        ClientLimits clients = limits.clients();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("command-line-octets", session.commandLineOctets());
        map.put("sasl-line-octets", session.saslLineOctets());
        map.put("protocol-errors", session.protocolErrors());
        map.put("idle-timeout", Durations.format(session.idleTimeout()));
        map.put("pipelined-commands", session.pipelinedCommands());
        map.put("client-handshake-timeout", Durations.format(limits.clientHandshakeTimeout()));
        map.put("max-message-size", ByteSizes.format(limits.maxMessageSize()));
        map.put("connections", clients.connections());
        map.put("connections-per-ip", clients.connectionsPerIp());
        map.put("connections-per-user-ip", clients.connectionsPerUserIp());
        map.put("login-timeout", Durations.format(clients.loginTimeout()));
        map.put("auth-failures", clients.authFailures());
        map.put("auth-failure-delay", Durations.format(clients.authFailureDelay()));
        map.put("exempt", clients.exempt().stream().map(Object::toString).toList());
        return map;
    }

    private static Map<String, Object> filtering(FilteringConfig filtering) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("on-failure", filtering.onFailure().name().toLowerCase(Locale.ROOT));
        map.put("time-budget", Durations.format(filtering.timeBudget()));
        map.put("header-limit", ByteSizes.format(filtering.headerLimit()));
        map.put("scan-at-login", filtering.scanAtLogin());
        map.put("cache", Map.of("size", ByteSizes.format(filtering.cacheSize()),
                "expire-after", Durations.format(filtering.cacheExpiry())));
        return map;
    }

    private static Map<String, Object> filter(FilterChain.Entry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", entry.name());
        map.put("direction", entry.directions().stream().map(d -> d.name().toLowerCase(Locale.ROOT)).sorted().toList());
        return map;
    }

    private static String path(Path file) {
        return file.toString();
    }
}
