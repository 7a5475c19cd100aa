package org.popbridge.proxy.upstream.smtp;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.RootCause;
import org.popbridge.proxy.core.upstream.SubmissionOptions;
import org.popbridge.proxy.core.upstream.UpstreamAuthException;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.session.ServerExtensions;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission server of a session, chosen when the user logs in: at AUTH the user's route
 * is picked (exact name, then domain, then default, as for reading; the one server when no
 * routes are configured), the name rewritten for it, the route's authenticator asked for the
 * login (the client's password, or an access token it unlocked), and the route's server logged
 * in to; from then on everything goes there. A user no route takes, or no login is had for, is
 * refused as a failed login, and no server is contacted.
 */
public final class RoutedSubmission implements SmtpUpstream {

    private static final Logger log = LoggerFactory.getLogger(RoutedSubmission.class);

    private final RouteTable routes;
    private final Function<Route, SubmissionOptions> servers;
    private final Listener listener;
    private final String sessionId;
    private final InetSocketAddress client;
    private SubmissionRelay routed;
    /** Set when the session ends, so that a login that comes later opens nothing. */
    private boolean closed;

    private RoutedSubmission(RouteTable routes, Function<Route, SubmissionOptions> servers, Listener listener,
                             String sessionId, InetSocketAddress client) {
        this.routes = routes;
        this.servers = servers;
        this.listener = listener;
        this.sessionId = sessionId;
        this.client = client;
    }

    /** Sessions sent through the route of their user; each route's server is logged in to as {@code servers} says. */
    public static SmtpUpstream.Factory factory(RouteTable routes, Function<Route, SubmissionOptions> servers) {
        String described = routes.byUser() ? "submission routes by user" : routes.only().connector().endpoint().url();
        return new SmtpUpstream.Factory() {
            @Override
            public SmtpUpstream open(Listener listener, String sessionId, InetSocketAddress client) {
                return new RoutedSubmission(routes, servers, listener, sessionId, client);
            }

            @Override
            public String describe() {
                return described;
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
        CompletableFuture<UpstreamLogin> login;
        try {
            login = route.auth().authenticator().authenticate(given, upstreamUser);
        } catch (RuntimeException e) {
            login = CompletableFuture.failedFuture(e);
        }
        if (login.isDone() && loop.inEventLoop()) {
            // A password login is known at once: no turn of the loop is lost.
            // The failure first: getNow on a failed future throws.
            Throwable failure = failureOf(login);
            authenticated(loop, given, route, failure == null ? login.getNow(null) : null, failure);
            return;
        }
        // A token may come from another thread: the session goes on on its own loop.
        login.whenComplete((result, failure) -> loop.execute(SessionLog.carried(
                () -> authenticated(loop, given, route, result, failure))));
    }

    private static Throwable failureOf(CompletableFuture<UpstreamLogin> done) {
        try {
            done.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The authenticator answered: log in at the route's server, or refuse the client as it says. */
    private void authenticated(EventLoop loop, Credentials given, Route route, UpstreamLogin login, Throwable failure) {
        if (closed) {
            return;
        }
        if (failure != null || login == null) {
            refuse(given, route, failure);
            return;
        }
        log.info("[{}] user {} sends through {} as {}{}", sessionId, LogText.of(given.user()),
                route.connector().endpoint().url(), LogText.of(login.user()),
                login instanceof UpstreamLogin.Bearer ? ", with an access token" : "");
        routed = SubmissionRelay.open(route.connector(), servers.apply(route), listener, sessionId, client);
        routed.logIn(loop, login, route.auth().mechanism());
    }

    /** No login for the user: the client is told as the failure's kind says, and no server is contacted. */
    private void refuse(Credentials given, Route route, Throwable failure) {
        UpstreamAuthFailure kind = UpstreamAuthException.in(failure).map(UpstreamAuthException::failure)
                .orElse(UpstreamAuthFailure.TEMPORARY);
        LogText user = LogText.of(given.user());
        // The authenticator's own words where it refused; anything else by its innermost cause.
        String why = UpstreamAuthException.in(failure).map(refusal -> LogText.of(refusal.getMessage()).toString())
                .orElseGet(() -> RootCause.describe(failure));
        listener.upstreamAuthFailed(kind);
        SmtpReply reply = switch (kind) {
            case CREDENTIALS_REFUSED -> {
                log.info("[{}] user {} refused before {}: {}", sessionId, user, route.connector().endpoint().url(), why);
                yield SmtpReply.of(535, "5.7.8 Authentication credentials invalid");
            }
            case REENROL_NEEDED -> {
                log.warn("[{}] user {} must be enrolled again ({}): run {}", sessionId, user, why,
                        LogText.of(route.auth().enrolment().command(given.user())));
                yield SmtpReply.of(535, "5.7.8 Sign-in expired: the administrator must enrol this account again");
            }
            case TEMPORARY -> {
                log.warn("[{}] no access token for user {} now: {}", sessionId, user, why);
                yield SmtpReply.of(454, "4.7.0 Temporary authentication failure: cannot sign in to the mail server now");
            }
        };
        listener.loggedIn(reply, ServerExtensions.UNKNOWN);
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
        closed = true;
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
