package org.popbridge.proxy.upstream.smtp;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.session.ServerExtensions;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission server of a session whose server depends on who logs in: at AUTH the user's
 * route is picked (exact name, then domain, then default, as for reading), the name rewritten
 * for it, and the route's server logged in to; from then on everything goes there. A user no
 * route takes is refused as a failed login, and no server is contacted.
 */
public final class RoutedSubmission implements SmtpUpstream {

    private static final Logger log = LoggerFactory.getLogger(RoutedSubmission.class);

    private final RouteTable routes;
    private final Function<Route, SmtpUpstream.Factory> servers;
    private final Listener listener;
    private final String sessionId;
    private final InetSocketAddress client;
    private SmtpUpstream routed;

    private RoutedSubmission(RouteTable routes, Function<Route, SmtpUpstream.Factory> servers, Listener listener,
                             String sessionId, InetSocketAddress client) {
        this.routes = routes;
        this.servers = servers;
        this.listener = listener;
        this.sessionId = sessionId;
        this.client = client;
    }

    /** Sessions sent through the route of their user; each route's server is opened by {@code servers}. */
    public static SmtpUpstream.Factory factory(RouteTable routes, Function<Route, SmtpUpstream.Factory> servers) {
        return new SmtpUpstream.Factory() {
            @Override
            public SmtpUpstream open(Listener listener, String sessionId, InetSocketAddress client) {
                return new RoutedSubmission(routes, servers, listener, sessionId, client);
            }

            @Override
            public String describe() {
                return "submission routes by user";
            }
        };
    }

    @Override
    public void logIn(EventLoop loop, Credentials given) {
        Optional<Route> found = routes.forUser(given.user());
        if (found.isEmpty()) {
            log.info("[{}] no submission route for user {}", sessionId, LogText.of(given.user()));
            loop.execute(SessionLog.carried(() -> listener.loggedIn(
                    SmtpReply.of(535, "5.7.8 Authentication credentials invalid"), ServerExtensions.UNKNOWN)));
            return;
        }
        Route route = found.get();
        SessionLog.route(route.match().written());
        String upstreamUser = route.rewrite().apply(given.user());
        log.info("[{}] user {} sends through {} as {}", sessionId, LogText.of(given.user()),
                route.connector().endpoint().url(), LogText.of(upstreamUser));
        routed = servers.apply(route).open(listener, sessionId, client);
        routed.logIn(loop, new Credentials(given.authzid(), upstreamUser, given.password(), given.viaSaslPlain()));
    }

    @Override
    public void send(SmtpCommand command) {
        routed.send(command);
    }

    @Override
    public void sendMessage(MessageChunk chunk) {
        routed.sendMessage(chunk);
    }

    @Override
    public void endMessage() {
        routed.endMessage();
    }

    @Override
    public boolean isWritable() {
        return routed != null && routed.isWritable();
    }

    @Override
    public void close() {
        if (routed != null) {
            routed.close();
        }
    }

    @Override
    public String url() {
        return routed == null ? "submission routes by user" : routed.url();
    }

    @Override
    public TlsSummary tls() {
        return routed == null ? TlsSummary.NONE : routed.tls();
    }
}
