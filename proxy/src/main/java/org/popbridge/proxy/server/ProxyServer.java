package org.popbridge.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.Durations;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TransportConfig;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.transport.EventLoops;
import org.popbridge.proxy.core.session.ClientLimits;
import org.popbridge.proxy.core.tls.CertificateExpiryRegistry;
import org.popbridge.proxy.core.upstream.Enrolment;
import org.popbridge.proxy.metrics.ProxyMeters;
import org.popbridge.proxy.metrics.http.EndpointContent;
import org.popbridge.proxy.metrics.http.EndpointLimits;
import org.popbridge.proxy.metrics.http.MetricsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: its listeners, its event loops, its open sessions, and the generation of
 * settings new sessions start under, which {@link #reload} replaces; an orderly shutdown.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    /** A slow client holds at most this much of a reply in the proxy before the upstream is paused. */
    static final WriteBufferWaterMark CLIENT_WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    /** One transport per process, chosen at start, so every loop and channel agree; a reload keeps it. */
    private final EventLoops loops;
    private final ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
    /** The client limits count here, whatever generation a connection came under. */
    private final ClientLimits.Counters counters;
    /** The process's meters: every generation counts into them. */
    private final ProxyMeters meters;
    private MetricsEndpoint metricsEndpoint;
    /** Set when shutdown begins: /ready says 503 from then on. */
    private volatile boolean draining;
    /** The bound listeners, in the current generation's order; replaced whole, so readers need no lock. */
    private volatile List<BoundListener> listeners = List.of();
    private volatile Generation generation;
    private boolean stopped;

    /** Whether each generation's upstreams are visited once its listeners are bound, to warn of mistakes. */
    public enum UpstreamCheck {
        /** In the background after every start and reload (UpstreamProbes): what a real server does. */
        AFTER_BINDING,
        /** Never: for tests whose scripted servers count every connection. */
        OFF
    }

    private final UpstreamCheck upstreamCheck;
    /** What makes the authenticators of auth: oauth2 servers, for every generation. */
    private final OAuthAuthenticators oauth;
    /** The command that enrols a user again, as the log says it. */
    private final Enrolment enrolment;

    private ProxyServer(TransportConfig transport, ClientLimits.Counters counters, ProxyMeters meters,
                        UpstreamCheck upstreamCheck, OAuthAuthenticators oauth, Enrolment enrolment) {
        this.loops = new EventLoops(transport.transport(), transport.busyPoll());
        this.counters = counters;
        this.meters = meters;
        this.upstreamCheck = upstreamCheck;
        this.oauth = oauth;
        this.enrolment = enrolment;
        oauth.countInto(meters.tokens());
    }

    /** Once per start: which transport carries the sockets, why not epoll where it is not, and the busy-poll. */
    private void logTransport(TransportConfig transport) {
        String notEpoll = transport.whyNotEpoll();
        String busyPoll = loops.busyPoll().isZero() ? "off" : Durations.format(loops.busyPoll());
        if (notEpoll == null) {
            log.info("transport: {}, busy-poll {}", loops.transport().description(), busyPoll);
        } else {
            log.info("transport: {}, busy-poll {} (epoll not used: {})", loops.transport().description(), busyPoll,
                    notEpoll);
        }
    }

    /** How this server's generations log in to their servers. */
    private UpstreamAuths auths() {
        return new UpstreamAuths(oauth, enrolment, System::getenv);
    }

    /** Binds every listener; on any failure nothing is left running. */
    public static ProxyServer start(PopbridgeConfig config) throws ConfigException, InterruptedException {
        return start(config, UpstreamCheck.AFTER_BINDING);
    }

    /** Binds every listener, visiting the upstreams afterwards or not. */
    public static ProxyServer start(PopbridgeConfig config, UpstreamCheck check)
            throws ConfigException, InterruptedException {
        ProxyMeters meters = new ProxyMeters();
        return start(config, Generation.filteringOf(config, meters), meters, check);
    }

    /**
     * Binds every listener, with the filters given (null for none).
     */
    public static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering)
            throws ConfigException, InterruptedException {
        return start(config, filtering, UpstreamCheck.AFTER_BINDING);
    }

    /** Binds every listener, with the filters given (null for none), visiting the upstreams afterwards or not. */
    public static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering, UpstreamCheck check)
            throws ConfigException, InterruptedException {
        return start(config, filtering, new ProxyMeters(), check);
    }

    /**
     * Binds every listener; servers with auth: oauth2 log users in with the authenticators
     * {@code oauth} makes, and the log names {@code enrolment}'s command for a user to enrol again.
     */
    public static ProxyServer start(PopbridgeConfig config, UpstreamCheck check, OAuthAuthenticators oauth,
                                    Enrolment enrolment) throws ConfigException, InterruptedException {
        ProxyMeters meters = new ProxyMeters();
        return start(config, Generation.filteringOf(config, meters), meters, check, oauth, enrolment);
    }

    private static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering, ProxyMeters meters,
                                     UpstreamCheck check) throws ConfigException, InterruptedException {
        return start(config, filtering, meters, check, OAuthAuthenticators.ABSENT, Enrolment.UNKNOWN_FILE);
    }

    private static ProxyServer start(PopbridgeConfig config, MessageFiltering filtering, ProxyMeters meters,
                                     UpstreamCheck check, OAuthAuthenticators oauth, Enrolment enrolment)
            throws ConfigException, InterruptedException {
        ProxyServer server = new ProxyServer(config.transport(), config.limits().clients().counters(), meters, check,
                oauth, enrolment);
        server.logTransport(config.transport());
        try {
            Generation first = Generation.build(config, filtering, server.counters, server.sessions, meters,
                    server.auths());
            if (config.warmUp()) {
                try {
                    // After the build (which creates a self-signed certificate the warm-up then loads),
                    // before the bind: "listening on" comes once the relay code is compiled.
                    new WarmUp(server.loops, config, server.auths()).run();
                } catch (InterruptedException e) {
                    first.close();
                    throw e;
                }
            }
            server.serve(first);
            server.serveMetrics(config);
            return server;
        } catch (ConfigException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Serves {@code next} from now on: new sessions start under its settings, sessions already
     * open finish under theirs. Listeners it keeps (same host and port) keep their socket;
     * listeners it adds are bound; listeners it drops stop accepting, and their sessions go on.
     * If {@code next} cannot be built or a new listener cannot be bound, nothing changes and the
     * error says why.
     */
    public synchronized void reload(PopbridgeConfig next) throws ConfigException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException("the proxy has stopped");
        }
        Generation previous = generation;
        serve(Generation.build(next, Generation.filteringOf(next, meters), counters, sessions, meters, auths()));
        if (!java.util.Objects.equals(next.metrics(), previous.config().metrics())) {
            log.warn("metrics: changed in the file; the metrics endpoint moves only with a restart");
        }
        if (!next.transport().equals(previous.config().transport())) {
            log.warn("transport: changed in the file; the transport and busy-poll change only with a restart");
        }
        previous.close();
        log.info("reloaded: {} listener(s), {} session(s) open go on under the settings they started with",
                listeners.size(), sessions.size());
    }

    /**
     * Binds what {@code next} adds, then switches every kept listener to it and closes what it
     * drops; on a bind failure, closes what it bound and leaves the running generation as it was.
     */
    private void serve(Generation next) throws ConfigException, InterruptedException {
        List<ListenerConfig> wanted = next.config().listen();
        Map<BoundListener.ListenerAddress, BoundListener> running = new HashMap<>();
        listeners.forEach(listener -> running.put(listener.address(), listener));
        List<BoundListener> serving = new ArrayList<>();
        List<BoundListener> opened = new ArrayList<>();
        Map<BoundListener.ListenerAddress, Integer> seen = new HashMap<>();
        try {
            for (int index = 0; index < wanted.size(); index++) {
                ListenerConfig listener = wanted.get(index);
                BoundListener.ListenerAddress address = BoundListener.ListenerAddress.of(listener,
                        seen.merge(new BoundListener.ListenerAddress(listener.host(), listener.port(), 0), 1, Integer::sum));
                BoundListener kept = running.remove(address);
                if (kept != null) {
                    serving.add(kept);
                } else {
                    BoundListener fresh = bind(address, listener, next.initializer(index));
                    opened.add(fresh);
                    serving.add(fresh);
                    log.info("listening on {}://{}:{} ({})", listener.scheme().scheme(), listener.host(),
                            fresh.localAddress().getPort(), next.description(index));
                }
            }
        } catch (ConfigException | RuntimeException e) {
            for (BoundListener listener : opened) {
                listener.close().await(5, TimeUnit.SECONDS);
            }
            next.close();
            throw e;
        }
        for (int index = 0; index < serving.size(); index++) {
            BoundListener listener = serving.get(index);
            listener.use(next.initializer(index));
            if (!opened.contains(listener)) {
                ListenerConfig config = wanted.get(index);
                log.info("still listening on {}://{}:{} ({})", config.scheme().scheme(), config.host(),
                        listener.localAddress().getPort(), next.description(index));
            }
        }
        for (BoundListener dropped : running.values()) {
            log.info("no longer listening on {}: its open sessions go on", dropped.localAddress());
            dropped.close().await(5, TimeUnit.SECONDS);
        }
        listeners = List.copyOf(serving);
        generation = next;
        if (upstreamCheck == UpstreamCheck.AFTER_BINDING) {
            UpstreamProbes.warnInBackground(next.config(), loops.workers());
        }
    }

    private BoundListener bind(BoundListener.ListenerAddress address, ListenerConfig listener,
                               ChannelInitializer<SocketChannel> first)
            throws ConfigException {
        BoundListener bound = new BoundListener(address, first);
        try {
            bound.bound(new ServerBootstrap()
                    .group(loops.acceptors(), loops.workers())
                    .channel(loops.transport().serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CLIENT_WATER_MARK)
                    .childHandler(bound.childHandler())
                    .bind(listener.host(), listener.port())
                    .sync()
                    .channel());
        } catch (Exception e) {
            throw new ConfigException(ListenFailure.describe(listener, e), e);
        }
        return bound;
    }

    /**
     * The metrics endpoint, where the config has {@code metrics:}; it serves until the very end
     * of shutdown, and the certificate days it shows are always the current generation's.
     */
    private void serveMetrics(PopbridgeConfig config) throws ConfigException, InterruptedException {
        meters.certificates(() -> generation.servedTls().expiryRegistry().snapshot());
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
        return !listeners.isEmpty() && listeners.stream().allMatch(listener -> listener.channel().isActive());
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Where the metrics endpoint listens (the port chosen, with port 0); null without {@code metrics:}. */
    public InetSocketAddress metricsAddress() {
        return metricsEndpoint == null ? null : metricsEndpoint.address();
    }

    /** The addresses actually bound, in listener order (useful with port 0). */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(BoundListener::localAddress).toList();
    }

    /** Days left per served certificate, for the metrics endpoint. */
    public CertificateExpiryRegistry certificateExpiry() {
        return generation.servedTls().expiryRegistry();
    }

    /** The configuration new sessions start under. */
    public PopbridgeConfig config() {
        return generation.config();
    }

    /**
     * Stops accepting, lets open sessions finish for up to {@code grace}, then closes the
     * rest. A session closed here closes its upstream without QUIT: nothing is deleted.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        draining = true;
        List<BoundListener> closing;
        synchronized (this) {
            stopped = true;
            closing = listeners;
        }
        for (BoundListener listener : closing) {
            listener.close().await(5, TimeUnit.SECONDS);
        }
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
        Generation last = generation;
        if (last != null) {
            last.close();
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        loops.shutdown();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ZERO);
    }
}
