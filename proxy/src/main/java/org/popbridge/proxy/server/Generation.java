package org.popbridge.proxy.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.FilteringConfig;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.ListenerScheme;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.session.ClientLimits;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.tls.ListenerTlsService;
import org.popbridge.proxy.core.tls.ServedCertificates;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.core.tls.TlsEngineChoice;
import org.popbridge.proxy.core.tls.TlsProfile;
import org.popbridge.proxy.metrics.ProxyMeters;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.smtp.session.AnnouncedExtensions;
import org.popbridge.proxy.smtp.session.SmtpSettings;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.popbridge.proxy.upstream.imap.ImapUpstream;
import org.popbridge.proxy.upstream.pop3.Pop3Relay;
import org.popbridge.proxy.upstream.routed.RoutedUpstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one reading of the configuration gives the sessions that start under it, as nginx's
 * cycle: the routes and upstreams, the filters with their verdict cache, the limits, the
 * certificates served, and for each listener the initializer that sets up its connections.
 * A session keeps the generation it started under to its end; a reload builds the next one
 * beside it and new connections use that. What outlives generations (the event loops, the
 * open sessions, the counters of the client limits) belongs to {@link ProxyServer}.
 */
final class Generation implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Generation.class);

    private final PopbridgeConfig config;
    private final ListenerTlsService servedTls;
    private final List<ChannelInitializer<SocketChannel>> initializers;
    private final List<String> descriptions;

    private Generation(PopbridgeConfig config, ListenerTlsService servedTls,
                       List<ChannelInitializer<SocketChannel>> initializers, List<String> descriptions) {
        this.config = config;
        this.servedTls = servedTls;
        this.initializers = List.copyOf(initializers);
        this.descriptions = List.copyOf(descriptions);
    }

    /** The configured chain with its verdict cache, shared by the generation's sessions; null without filters. */
    static MessageFiltering filteringOf(PopbridgeConfig config, ProxyMeters meters) {
        FilterChain chain = config.filterChain().observedBy(meters.filters()).forDirection(Direction.INCOMING);
        if (chain.entries().isEmpty()) {
            return null;
        }
        FilteringConfig filtering = config.filtering();
        MessageFiltering messageFiltering = new MessageFiltering(chain,
                new VerdictCache(filtering.cacheSize(), filtering.cacheExpiry(), meters.verdictCache()),
                filtering.headerLimit(), filtering.scanAtLogin());
        log.info("filters: {} (on failure {}, time budget {} ms per filter, headers read at login: {})",
                chain.entries().stream().map(FilterChain.Entry::name).toList(),
                chain.policy().name().toLowerCase(Locale.ROOT), chain.timeBudget().toMillis(),
                messageFiltering.active() && messageFiltering.scanAtLogin() ? "yes" : "no");
        return messageFiltering;
    }

    /**
     * Builds everything {@code config} asks for without binding a port: a configuration that
     * cannot be served fails here, before a listener or a session sees any of it.
     *
     * @param filtering the incoming filters with their cache (null for none)
     * @param counters where the client limits count, shared with the generations before
     * @param sessions the server's open sessions, which every new connection joins
     * @param meters the process's meters, which every generation counts into
     * @param auths how each server is logged in to (password, or tokens for auth: oauth2)
     */
    static Generation build(PopbridgeConfig config, MessageFiltering filtering, ClientLimits.Counters counters,
                            ChannelGroup sessions, ProxyMeters meters, UpstreamAuths auths) throws ConfigException {
        boolean pop3 = config.listen().stream().anyMatch(l -> l.scheme().protocol() == ListenerScheme.Protocol.POP3);
        TlsEngine engine = config.tls().engine().engine();
        logTlsEngines(config);
        UpstreamTlsContexts upstreamTls = new UpstreamTlsContexts(engine, meters::upstreamHandshakes);
        Pop3Upstream.Factory upstreams = pop3 ? pop3Upstreams(RouteTables.build(config, auths, upstreamTls),
                config.upstream() != null && config.upstream().apop()) : null;
        SmtpUpstream.Factory submission = Submissions.factory(config, auths, upstreamTls);
        SmtpSettings smtp = new SmtpSettings(Submissions.hostname(), config.limits().maxMessageSize(),
                new AnnouncedExtensions(), config.filterChain().observedBy(meters.filters()).forDirection(Direction.OUTGOING),
                config.filtering().headerLimit());
        if (!smtp.filters().entries().isEmpty()) {
            log.info("filters on outgoing mail: {}", smtp.filters().entries().stream().map(FilterChain.Entry::name).toList());
        }
        ServedCertificates certificates;
        try {
            certificates = ServedCertificatesLoader.load(config.tls(), config.stateDir(), config.listen());
        } catch (CertificateLoadException e) {
            throw new ConfigException("served certificate: " + e.getMessage(), e);
        }
        ListenerTlsService servedTls;
        try {
            servedTls = ListenerTlsService.start(certificates, config.listen().stream().map(l -> l.tls().offer(engine)).toList(),
                    config.limits().clientHandshakeTimeout(), config.tls().reloadInterval(), Clock.systemUTC());
        } catch (SSLException e) {
            throw new ConfigException("TLS towards clients: " + e.getMessage(), e);
        }
        ClientLimits clients = config.limits().clients().countedIn(counters);
        List<ChannelInitializer<SocketChannel>> initializers = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (int index = 0; index < config.listen().size(); index++) {
            ListenerConfig listener = config.listen().get(index);
            ListenerSettings settings = new ListenerSettings(listener.url(), listener.scheme().implicitTls(),
                    servedTls.listener(index), listener.clearLogins(), config.limits().session(), clients,
                    meters.listener(listener.scheme().protocol().name().toLowerCase(Locale.ROOT), listener.url()));
            boolean smtpListener = listener.scheme().protocol() == ListenerScheme.Protocol.SMTP;
            initializers.add(smtpListener
                    ? new SmtpChannelInitializer(settings, listener.proxyProtocol(), smtp, submission, sessions)
                    : new ClientChannelInitializer(settings, listener.proxyProtocol(), upstreams, sessions, filtering));
            descriptions.add(describe(listener) + ", relaying to "
                    + (smtpListener ? submission.describe() : upstreams.describe()));
        }
        return new Generation(config, servedTls, initializers, descriptions);
    }

    PopbridgeConfig config() {
        return config;
    }

    ListenerTlsService servedTls() {
        return servedTls;
    }

    /** What sets up a new connection to the listener {@code index} of {@link #config()}. */
    ChannelInitializer<SocketChannel> initializer(int index) {
        return initializers.get(index);
    }

    /** The listener {@code index} in words: its TLS, its login policy, where it relays. */
    String description(int index) {
        return descriptions.get(index);
    }

    /**
     * Stops the certificate reload and expiry check of this generation. Its sessions go on:
     * a handshake they start later (STLS) still has the certificate it was given.
     */
    @Override
    public void close() {
        servedTls.close();
    }

    /**
     * The upstream is opened only once the client has given a login (invariant 8), as nginx's
     * mail proxy does: popbridge answers the greeting, CAPA and the login itself, then opens the
     * user's route, which is the one upstream unless routes are configured.
     */
    private static Pop3Upstream.Factory pop3Upstreams(RouteTable routes, boolean apop) throws ConfigException {
        if (!apop) {
            return RoutedUpstream.factory(routes, Generation::upstreamOf);
        }
        if (routes.byUser()) {
            throw new ConfigException("upstream.apop: APOP needs the server's greeting before the user is known, "
                    + "which routes by user cannot give; remove apop: true or the routes");
        }
        log.info("APOP offered (apop: true): sessions connect to {} as soon as a client does",
                routes.only().connector().endpoint().url());
        return upstreamOf(routes.only());
    }

    /** A POP3 upstream is relayed to; an IMAP upstream is translated. */
    private static Pop3Upstream.Factory upstreamOf(Route route) {
        return route.translatesToImap() ? ImapUpstream.factory(route.connector(), route.imap())
                : Pop3Relay.factory(route.connector());
    }

    private static String describe(ListenerConfig listener) {
        String tls = listener.tls().profile() == TlsProfile.LEGACY
                ? ", TLS profile legacy: " + String.join(", ", listener.tls().effectiveProtocols())
                : "";
        if (listener.proxyProtocol() != null) {
            tls += ", PROXY protocol from " + listener.proxyProtocol() + " only";
        }
        if (listener.scheme().implicitTls()) {
            return "implicit TLS" + tls;
        }
        String upgrade = listener.scheme().protocol() == ListenerScheme.Protocol.SMTP ? "STARTTLS" : "STLS";
        return upgrade + " offered, login " + switch (listener.clearLogins()) {
            case ALL -> "allowed in clear";
            case DIGEST_ONLY -> "only after " + upgrade;
            case NONE -> "only after " + upgrade + ", APOP too";
        } + tls;
    }

    /**
     * Which TLS implementation serves which side, once per start (and reload): the one tls.engine
     * chose for modern listeners (the upstream lines say it again for mail servers), why where
     * auto fell back to the JDK's, and the legacy one where a listener asks for it.
     */
    private static void logTlsEngines(PopbridgeConfig config) {
        TlsEngineChoice choice = config.tls().engine();
        TlsEngine engine = choice.engine();
        log.info("TLS towards clients: {} for modern listeners (tls.engine: {})", engine.description(), choice.configName());
        if (choice == TlsEngineChoice.AUTO && engine != TlsEngine.OPENSSL) {
            log.info("tls.engine: auto, and OpenSSL (netty-tcnative) does not load here, so the JDK's TLS serves: {}",
                    TlsEngine.OPENSSL.whyNotLoaded());
        }
        if (config.listen().stream().anyMatch(l -> l.tls().profile() == TlsProfile.LEGACY)) {
            log.info("TLS towards clients: {} for legacy listeners, whatever tls.engine says; every other listener "
                    + "and the upstream side keep refusing TLS 1.0/1.1", TlsEngine.BCJSSE.description());
        }
    }
}
