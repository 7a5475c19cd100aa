package org.popbridge.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.popbridge.proxy.metrics.ProxyMeters;
import org.popbridge.proxy.metrics.http.EndpointContent;
import org.popbridge.proxy.metrics.http.EndpointLimits;
import org.popbridge.proxy.metrics.http.MetricsEndpoint;
import org.popbridge.proxy.smtp.session.AnnouncedExtensions;
import org.popbridge.proxy.smtp.session.SmtpSettings;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.tls.CertificateExpiryRegistry;
import org.popbridge.proxy.core.tls.ListenerTlsService;
import org.popbridge.proxy.core.tls.ServedCertificates;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.core.tls.TlsProfile;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.upstream.imap.ImapUpstream;
import org.popbridge.proxy.upstream.pop3.Pop3Relay;
import org.popbridge.proxy.upstream.routed.RoutedUpstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running proxy: its listeners, its event loops, and an orderly shutdown. */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    /** A slow client holds at most this much of a reply in the proxy before the upstream is paused. */
    static final WriteBufferWaterMark CLIENT_WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final ChannelGroup listeners = new DefaultChannelGroup("listeners", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    private final PopbridgeConfig config;
    private final MessageFiltering filtering;
    /** The process's meters: they outlive any one set of settings. */
    private final ProxyMeters meters;
    private ListenerTlsService servedTls;
    private MetricsEndpoint metricsEndpoint;
    /** Set when shutdown begins: /ready says 503 from then on. */
    private volatile boolean draining;

    private ProxyServer(PopbridgeConfig config, MessageFiltering filtering, ProxyMeters meters) {
        this.config = config;
        this.filtering = filtering;
        this.meters = meters;
    }

    /** Binds every listener; on any failure nothing is left running. */
    public static ProxyServer start(PopbridgeConfig config) throws ConfigException, InterruptedException {
        ProxyMeters meters = new ProxyMeters();
        return start(config, filteringOf(config, meters), meters);
    }

    /** The configured chain with its verdict cache, shared by every session; null without filters. */
    private static MessageFiltering filteringOf(PopbridgeConfig config, ProxyMeters meters) {
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
                chain.policy().name().toLowerCase(java.util.Locale.ROOT), chain.timeBudget().toMillis(),
                messageFiltering.active() && messageFiltering.scanAtLogin() ? "yes" : "no");
        return messageFiltering;
    }

    /**
     * Binds every listener, with the filters given (null for none).
     */
    public static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering)
            throws ConfigException, InterruptedException {
        return start(config, filtering, new ProxyMeters());
    }

    private static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering, ProxyMeters meters)
            throws ConfigException, InterruptedException {
        ProxyServer server = new ProxyServer(config, filtering, meters);
        try {
            server.bindAll();
            server.serveMetrics();
            return server;
        } catch (ConfigException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bindAll() throws ConfigException, InterruptedException {
        boolean pop3 = config.listen().stream().anyMatch(l -> l.scheme().protocol() == ListenerScheme.Protocol.POP3);
        Pop3Upstream.Factory upstreams = pop3 ? pop3Upstreams(RouteTables.build(config),
                config.upstream() != null && config.upstream().apop()) : null;
        SmtpUpstream.Factory submission = Submissions.factory(config);
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
        try {
            servedTls = ListenerTlsService.start(certificates, config.listen().stream().map(l -> l.tls().offer()).toList(),
                    config.limits().clientHandshakeTimeout(), config.tls().reloadInterval(), Clock.systemUTC());
        } catch (javax.net.ssl.SSLException e) {
            throw new ConfigException("TLS towards clients: " + e.getMessage(), e);
        }
        logTlsEngines();
        for (int index = 0; index < config.listen().size(); index++) {
            ListenerConfig listener = config.listen().get(index);
            ListenerSettings settings = new ListenerSettings(listener.url(), listener.scheme().implicitTls(),
                    servedTls.listener(index), !listener.tlsRequiredForAuth(), config.limits().session(),
                    config.limits().clients(), meters.listener(
                            listener.scheme().protocol().name().toLowerCase(java.util.Locale.ROOT), listener.url()));
            boolean smtpListener = listener.scheme().protocol() == ListenerScheme.Protocol.SMTP;
            Channel channel;
            try {
                channel = new ServerBootstrap()
                        .group(acceptors, workers)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CLIENT_WATER_MARK)
                        .childHandler(smtpListener
                                ? new SmtpChannelInitializer(settings, listener.proxyProtocol(), smtp, submission, sessions)
                                : new ClientChannelInitializer(settings, listener.proxyProtocol(), upstreams, sessions,
                                        filtering))
                        .bind(listener.host(), listener.port())
                        .sync()
                        .channel();
            } catch (Exception e) {
                throw new ConfigException("cannot listen on " + listener.url() + ": " + e.getMessage(), e);
            }
            listeners.add(channel);
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            boundAddresses.add(bound);
            log.info("listening on {}://{}:{} ({}), relaying to {}", listener.scheme().scheme(), listener.host(),
                    bound.getPort(), describe(listener), smtpListener ? submission.describe() : upstreams.describe());
        }
    }

    /** The metrics endpoint, where the config has {@code metrics:}; it serves until the very end of shutdown. */
    private void serveMetrics() throws ConfigException, InterruptedException {
        meters.certificates(() -> servedTls.expiryRegistry().snapshot());
        if (config.metrics() == null) {
            return;
        }
        try {
            metricsEndpoint = MetricsEndpoint.bind(config.metrics().host(), config.metrics().port(),
                    new EndpointContent(meters::scrape, this::listenersUp, () -> !draining && listenersUp()),
                    EndpointLimits.DEFAULTS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // A port in use comes as a BindException, which netty throws unchecked.
            throw new ConfigException("cannot serve metrics on " + config.metrics().describe() + ": " + e.getMessage(), e);
        }
        log.info("metrics on http://{}/metrics (also /health and /ready)", describe(metricsAddress()));
    }

    private boolean listenersUp() {
        return !listeners.isEmpty() && listeners.stream().allMatch(Channel::isActive);
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Where the metrics endpoint listens (the port chosen, with port 0); null without {@code metrics:}. */
    public InetSocketAddress metricsAddress() {
        return metricsEndpoint == null ? null : metricsEndpoint.address();
    }

    /**
     * The upstream is opened only once the client has given a login (invariant 8), as nginx's
     * mail proxy does: popbridge answers the greeting, CAPA and the login itself, then opens the
     * user's route, which is the one upstream unless routes are configured.
     */
    private static Pop3Upstream.Factory pop3Upstreams(RouteTable routes, boolean apop) throws ConfigException {
        if (!apop) {
            return RoutedUpstream.factory(routes, ProxyServer::upstreamOf);
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
        return upgrade + " offered, login " + (listener.tlsRequiredForAuth() ? "only after " + upgrade : "allowed in clear")
                + tls;
    }

    /** Which TLS implementation serves which side; the legacy one only where a listener asks for it. */
    private void logTlsEngines() {
        log.info("TLS towards clients: {} for modern listeners", TlsEngine.modern().description());
        if (config.listen().stream().anyMatch(l -> l.tls().profile() == TlsProfile.LEGACY)) {
            log.info("TLS towards clients: {} for legacy listeners; every other listener and the upstream side "
                    + "keep refusing TLS 1.0/1.1", TlsEngine.BCJSSE.description());
        }
    }

    /** The addresses actually bound, in listener order (useful with port 0). */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(boundAddresses);
    }

    /** Days left per served certificate, for the metrics endpoint. */
    public CertificateExpiryRegistry certificateExpiry() {
        return servedTls.expiryRegistry();
    }

    /** The configuration this server runs with. */
    public PopbridgeConfig config() {
        return config;
    }

    /**
     * Stops accepting, lets open sessions finish for up to {@code grace}, then closes the
     * rest. A session closed here closes its upstream without QUIT: nothing is deleted.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        draining = true;
        listeners.close().await();
        long deadline = System.nanoTime() + grace.toNanos();
        if (!sessions.isEmpty()) {
            log.info("stopped accepting; waiting up to {} s for {} open session(s)", grace.toSeconds(), sessions.size());
        }
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!sessions.isEmpty()) {
            log.info("closing {} session(s) still open after the grace period, without QUIT upstream", sessions.size());
            sessions.close().await(5, TimeUnit.SECONDS);
        }
        if (servedTls != null) {
            servedTls.close();
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ZERO);
    }
}
