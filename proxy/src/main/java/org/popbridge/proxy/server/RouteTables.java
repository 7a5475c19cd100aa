package org.popbridge.proxy.server;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.upstream.ClientForwarding;
import org.popbridge.proxy.core.upstream.ProxyHeader;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.core.upstream.UpstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the route table a server runs with from its config: one connector (and TLS context)
 * per distinct upstream, shared by every route to it, and the start-up log lines that say how
 * each upstream is reached.
 */
public final class RouteTables {

    private static final Logger log = LoggerFactory.getLogger(RouteTables.class);

    private RouteTables() {
    }

    /**
     * The routes of {@code config}: its {@code routes:} and the top-level upstream as the default.
     *
     * @throws ConfigException if there is no upstream at all, or an upstream's TLS cannot be set up
     *     (an unreadable CA file, for one)
     */
    public static RouteTable build(PopbridgeConfig config) throws ConfigException {
        return build(config, UpstreamAuths.passwordOnly(), UpstreamTlsContexts.unmetered(config.tls().engine().engine()));
    }

    /**
     * The routes of {@code config}, each logging in as {@code auths} says for its upstream and
     * reaching it with the TLS context {@code tls} has for it.
     */
    static RouteTable build(PopbridgeConfig config, UpstreamAuths auths, UpstreamTlsContexts tls)
            throws ConfigException {
        if (!config.hasUpstream()) {
            throw new ConfigException("no upstream: give --upstream URL or upstream.url in the config file");
        }
        Map<Connection, UpstreamConnector> connectors = new HashMap<>();
        List<Route> routes = new ArrayList<>();
        Route defaultRoute = null;
        if (config.upstream() != null) {
            defaultRoute = route(UserPattern.everyone(), config.upstream(), UserRewrite.keep(), connectors, auths, tls);
        }
        for (RouteConfig entry : config.upstreamRoutes()) {
            Route route = route(entry.match(), entry.upstream(), entry.rewrite(), connectors, auths, tls);
            if (entry.isDefault()) {
                defaultRoute = route;
            } else {
                routes.add(route);
            }
        }
        RouteTable table = new RouteTable(routes, defaultRoute);
        if (table.byUser()) {
            for (Route route : table.routes()) {
                log.info("route {} -> {}{}", route.match(), route.connector().endpoint().url(),
                        route.rewrite() instanceof UserRewrite.Keep ? "" : ", user name " + route.rewrite());
            }
            if (table.defaultRoute().isEmpty()) {
                log.info("no default route: users no route takes are refused at login");
            }
        }
        return table;
    }

    private static Route route(UserPattern match, UpstreamConfig upstream, UserRewrite rewrite,
                               Map<Connection, UpstreamConnector> connectors, UpstreamAuths auths,
                               UpstreamTlsContexts tls)
            throws ConfigException {
        Connection connection = Connection.of(upstream);
        UpstreamConnector connector = connectors.get(connection);
        if (connector == null) {
            connector = new UpstreamConnector(upstreamRoute(upstream, tls));
            connectors.put(connection, connector);
        }
        return new Route(match, connector, rewrite, upstream.imap(), auths.of(upstream));
    }

    /** How one upstream is reached: its TLS context, verified unless switched off, and the warnings that go with it. */
    static UpstreamEndpoint upstreamRoute(UpstreamConfig upstream, UpstreamTlsContexts tls) throws ConfigException {
        UpstreamEndpoint endpoint = endpoint(upstream, tls);
        if (upstream.scheme().usesTls()) {
            // The URL ends the line so that, with several upstreams, each line says whose TLS it is.
            log.info("upstream TLS: {} with {}, {} ({})", String.join(", ", UpstreamTls.PROTOCOLS),
                    tls.engine().description(),
                    upstream.insecure() ? "NOT verified" : "chain and host name verified", upstream.url());
            if (upstream.insecure()) {
                log.warn("upstream {}: certificate and host name verification are OFF (insecure: true); "
                        + "anyone on the path can read and change the mail", upstream.url());
            }
        } else {
            log.warn("upstream {} is plain {}: passwords and mail cross the network unencrypted", upstream.url(),
                    upstream.scheme().protocol().name());
        }
        ClientForwarding forwarding = upstream.forwarding();
        if (forwarding.inProtocol() || forwarding.proxyHeader() != ProxyHeader.NONE) {
            log.info("upstream {} is told each client's address:{}{}", upstream.url(),
                    forwarding.inProtocol() ? " " + (upstream.scheme().protocol() == UpstreamScheme.Protocol.IMAP
                            ? "ID" : "XCLIENT") + " where offered" : "",
                    forwarding.proxyHeader() == ProxyHeader.NONE ? ""
                            : " PROXY " + forwarding.proxyHeader().written() + " header");
        }
        return endpoint;
    }

    /** How one upstream is reached, without a word in the log: for the probes, which visit it again. */
    static UpstreamEndpoint endpoint(UpstreamConfig upstream, UpstreamTlsContexts contexts) throws ConfigException {
        SslContext tls = upstream.scheme().usesTls() ? contexts.contextFor(upstream) : null;
        return new UpstreamEndpoint(upstream.scheme(), upstream.host(), upstream.port(), tls,
                upstream.connectTimeout(), upstream.handshakeTimeout(), upstream.replyTimeout(), upstream.forwarding());
    }

    /**
     * What makes two upstreams one connection: everything but the IMAP settings, which say how a
     * mailbox is read once connected, so routes to one server with other folders share a connector.
     * (Connectors that differ only in timeouts or forwarding still share a TLS context: UpstreamTlsContexts.)
     */
    private record Connection(UpstreamScheme scheme, String host, int port, Path ca, boolean insecure,
                              Duration connectTimeout, Duration handshakeTimeout, Duration replyTimeout,
                              ClientForwarding forwarding) {

        static Connection of(UpstreamConfig upstream) {
            return new Connection(upstream.scheme(), upstream.host().toLowerCase(Locale.ROOT), upstream.port(),
                    upstream.ca(), upstream.insecure(), upstream.connectTimeout(), upstream.handshakeTimeout(),
                    upstream.replyTimeout(), upstream.forwarding());
        }
    }
}
