package org.popbridge.proxy.upstream.routed;

import io.netty.buffer.ByteBufAllocator;
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
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.UpstreamAuthException;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.Mailbox;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.pop3.session.UpstreamAdapter;
import org.popbridge.proxy.pop3.session.UpstreamCapabilities;
import org.popbridge.proxy.pop3.session.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream of a session whose mail server is opened only once the client has logged in,
 * as nginx's mail proxy and Perdition do it (invariant 8): the client is greeted and its USER,
 * PASS or AUTH answered here until the login is known; then the user's route's upstream (POP3
 * or IMAP; the one upstream when no routes are configured) is opened, the login is replayed
 * there under the rewritten name, and from its answer on every command goes to it. The route's
 * authenticator decides first what the login upstream is: the client's password, or an access
 * token the password unlocked (auth: oauth2); the server is contacted only once it has.
 */
public final class RoutedUpstream extends UpstreamAdapter {

    private enum Stage { AUTHORIZATION, AUTHENTICATING, ROUTING, ROUTED }

    private static final Logger log = LoggerFactory.getLogger(RoutedUpstream.class);

    private final RouteTable routes;
    private final Function<Route, Pop3Upstream.Factory> upstreams;
    private final LocalAuthorization credentials;
    /** Where the client is, for the route's upstream to be told (XCLIENT, ID, a PROXY header). */
    private final InetSocketAddress client;
    private Stage stage = Stage.AUTHORIZATION;
    private Pop3Upstream routed;
    private Route route;

    private RoutedUpstream(RouteTable routes, Function<Route, Pop3Upstream.Factory> upstreams, Listener listener,
                          String sessionId, InetSocketAddress client) {
        super(listener, sessionId);
        this.routes = routes;
        this.upstreams = upstreams;
        this.client = client;
        this.credentials = new LocalAuthorization(replies, ByteBufAllocator.DEFAULT, this::logIn);
    }

    /** Sessions routed by user through {@code routes}; each route's upstream is opened by {@code upstreams}. */
    public static Pop3Upstream.Factory factory(RouteTable routes, Function<Route, Pop3Upstream.Factory> upstreams) {
        String described = routes.byUser() ? "routes by user" : routes.only().connector().endpoint().url();
        return Pop3Upstream.Factory.of(described,
                (listener, sessionId, client) -> new RoutedUpstream(routes, upstreams, listener, sessionId, client));
    }

    @Override
    protected void open(EventLoop eventLoop) {
        // Nothing to connect to before the user is known: the greeting is popbridge's own.
        eventLoop.execute(SessionLog.carried(() -> handshakeDone(null, LocalAuthorization.CAPABILITIES)));
    }

    private boolean routedNow() {
        return stage == Stage.ROUTED && routed != null;
    }

    @Override
    public boolean ready() {
        return super.ready() && (!routedNow() || routed.ready());
    }

    @Override
    public boolean awaitingReplies() {
        return super.awaitingReplies() || (routedNow() && routed.awaitingReplies());
    }

    @Override
    public boolean barrierPending() {
        return super.barrierPending() || (routedNow() && routed.barrierPending());
    }

    @Override
    public void send(Pop3Command command, PendingCommand pending) {
        if (routedNow()) {
            routed.send(command, pending);
        } else {
            answerInTurn(pending, () -> credentials.handle(command));
        }
    }

    @Override
    public void sendContinuation(String line) {
        if (routedNow()) {
            routed.sendContinuation(line);
        } else if (credentials.awaitingContinuation()) {
            credentials.continuation(line);
        }
    }

    /** Picks the route for the user, asks its authenticator for the login, then opens its upstream. */
    private void logIn(Credentials given) {
        Optional<Route> found = routes.forUser(given.user());
        if (found.isEmpty()) {
            log.info("[{}] no route for user {}", sessionId, LogText.of(given.user()));
            // A route taken by an earlier login of this session is not where this one failed.
            route = null;
            replies.err("[AUTH] Authentication failed");
            return;
        }
        Route chosen = found.get();
        route = chosen;
        SessionLog.route(chosen.match().written());
        String upstreamUser = chosen.rewrite().apply(given.user());
        stage = Stage.AUTHENTICATING;
        CompletableFuture<UpstreamLogin> login;
        try {
            login = chosen.auth().authenticator().authenticate(given, upstreamUser);
        } catch (RuntimeException e) {
            login = CompletableFuture.failedFuture(e);
        }
        if (login.isDone() && loop().inEventLoop()) {
            // A password login is known at once: no turn of the loop is lost.
            // The failure first: getNow on a failed future throws.
            Throwable failure = failureOf(login);
            authenticated(given, chosen, upstreamUser, failure == null ? login.getNow(null) : null, failure);
            return;
        }
        // A token may come from another thread: the session goes on on its own loop.
        login.whenComplete((result, failure) -> loop().execute(SessionLog.carried(
                () -> authenticated(given, chosen, upstreamUser, result, failure))));
    }

    private static Throwable failureOf(CompletableFuture<UpstreamLogin> done) {
        try {
            done.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The authenticator answered: open the route's upstream with the login, or refuse the client as it says. */
    private void authenticated(Credentials given, Route chosen, String upstreamUser, UpstreamLogin login,
                               Throwable failure) {
        if (closed() || stage != Stage.AUTHENTICATING || route != chosen) {
            return;
        }
        if (failure != null || login == null) {
            refuse(given, chosen, failure);
            return;
        }
        log.info("[{}] user {} routed to {} as {}{}", sessionId, LogText.of(given.user()),
                chosen.connector().endpoint().url(), LogText.of(login.user()),
                login instanceof UpstreamLogin.Bearer ? ", with an access token" : "");
        stage = Stage.ROUTING;
        RoutedListener events = new RoutedListener(login, chosen.auth().mechanism());
        routed = upstreams.apply(chosen).open(events, sessionId, client);
        events.upstream = routed;
        routed.connect(loop());
    }

    /** No login upstream for the user: the client is told as the failure's kind says, and the server never contacted. */
    private void refuse(Credentials given, Route chosen, Throwable failure) {
        stage = Stage.AUTHORIZATION;
        UpstreamAuthFailure kind = UpstreamAuthException.in(failure).map(UpstreamAuthException::failure)
                .orElse(UpstreamAuthFailure.TEMPORARY);
        LogText user = LogText.of(given.user());
        // The authenticator's own words where it refused; anything else by its innermost cause.
        String why = UpstreamAuthException.in(failure).map(refusal -> LogText.of(refusal.getMessage()).toString())
                .orElseGet(() -> RootCause.describe(failure));
        listener.upstreamAuthFailed(kind);
        switch (kind) {
            case CREDENTIALS_REFUSED -> {
                log.info("[{}] user {} refused before {}: {}", sessionId, user, chosen.connector().endpoint().url(), why);
                replies.err("[AUTH] Authentication failed");
            }
            case REENROL_NEEDED -> {
                log.warn("[{}] user {} must be enrolled again ({}): run {}", sessionId, user, why,
                        LogText.of(chosen.auth().enrolment().command(given.user())));
                replies.err("[AUTH] Sign-in expired: the administrator must enrol this account again");
            }
            case TEMPORARY -> {
                log.warn("[{}] no access token for user {} now: {}", sessionId, user, why);
                replies.err("[SYS/TEMP] Cannot sign in to the mail server now, try again later");
            }
        }
    }

    /** The routed upstream's events: during the replayed login they end here, after it they go to the session. */
    private final class RoutedListener implements Listener {

        private final UpstreamLogin login;
        private final BearerMechanism mechanism;
        /** The upstream these events come from; a replaced one (a failed login) is not heard. */
        private Pop3Upstream upstream;
        private UpstreamCapabilities capabilities;

        RoutedListener(UpstreamLogin login, BearerMechanism mechanism) {
            this.login = login;
            this.mechanism = mechanism;
        }

        private boolean current() {
            return upstream != null && upstream == routed;
        }

        @Override
        public void upstreamReady(String apopTimestamp, UpstreamCapabilities upstreamCapabilities) {
            if (!current()) {
                return;
            }
            capabilities = upstreamCapabilities;
            if (login instanceof UpstreamLogin.Bearer bearer) {
                routed.sendBearerLogin(bearer, mechanism, new PendingCommand("AUTH", false, true, this::loginAnswered));
                routed.flush();
                return;
            }
            Credentials login = ((UpstreamLogin.Password) this.login).credentials();
            // The client's way of logging in where the upstream has it; an authorization identity needs PLAIN.
            boolean plain = !login.authzid().isEmpty()
                    || upstreamCapabilities.relayableSaslMechanisms().contains("PLAIN")
                    && (login.viaSaslPlain() || !upstreamCapabilities.has("USER"));
            if (plain) {
                routed.send(Pop3Command.of(Pop3Verb.AUTH, "PLAIN", login.plainResponse()),
                        new PendingCommand("AUTH", false, true, this::loginAnswered));
            } else {
                // PASS only once USER is accepted, never pipelined behind it: Dovecot's pop3-login
                // answers a PASS that came in the same read as its USER some 40 ms late.
                routed.send(Pop3Command.of(Pop3Verb.USER, login.user()), new PendingCommand("USER", false, true,
                        status -> {
                            if (!status.isOk()) {
                                loginAnswered(status);
                            } else if (current() && stage == Stage.ROUTING) {
                                routed.send(Pop3Command.of(Pop3Verb.PASS, login.password()),
                                        new PendingCommand("PASS", false, true, this::loginAnswered));
                                routed.flush();
                            }
                        }));
            }
            routed.flush();
        }

        private void loginAnswered(StatusLine status) {
            if (stage != Stage.ROUTING || !current()) {
                // A USER refusal already answered; the PASS after it is refused too.
                return;
            }
            if (status.status() == StatusLine.Status.CONTINUATION) {
                // The upstream wants the AUTH response after all: it was sent inline, so this is a refusal.
                status = StatusLine.err("[AUTH] Authentication failed");
            }
            if (status.isOk()) {
                stage = Stage.ROUTED;
                listener.upstreamCapabilitiesChanged(capabilities);
                if (login instanceof UpstreamLogin.Bearer) {
                    listener.bearerLoggedIn();
                }
            } else {
                stage = Stage.AUTHORIZATION;
                Pop3Upstream failed = routed;
                routed = null;
                // The client may try again, perhaps as another user on another route.
                loop().execute(SessionLog.carried(failed::close));
            }
            replies.status(status);
        }

        @Override
        public void replyFinished() {
            if (routedNow() && current()) {
                listener.replyFinished();
            }
        }

        @Override
        public void upstreamReadComplete() {
            if (current()) {
                listener.upstreamReadComplete();
            }
        }

        @Override
        public void upstreamFailed(UpstreamFailure failure, boolean midReply, Throwable cause) {
            if (current()) {
                end(failure, midReply, cause);
            }
        }
    }

    /** Only the route's upstream logs in with a token; the client never does so here. */
    @Override
    public void sendBearerLogin(UpstreamLogin.Bearer login, BearerMechanism mechanism, PendingCommand pending) {
        if (routedNow()) {
            routed.sendBearerLogin(login, mechanism, pending);
        } else {
            answerInTurn(pending, () -> replies.err("[AUTH] Authentication failed"));
        }
    }

    @Override
    public void flush() {
        if (routedNow()) {
            routed.flush();
        }
    }

    @Override
    public void pauseReading() {
        if (routed != null) {
            routed.pauseReading();
        }
    }

    @Override
    public void resumeReading() {
        if (routed != null) {
            routed.resumeReading();
        }
    }

    @Override
    public void suspendReplies() {
        super.suspendReplies();
        if (routed != null) {
            routed.suspendReplies();
        }
    }

    @Override
    public boolean resumeReplies() {
        boolean suspendedAgain = replies.resume();
        return routedNow() ? routed.resumeReplies() : !suspendedAgain && !closed();
    }

    @Override
    protected void closeConnection() {
        if (routed != null) {
            routed.close();
        }
    }

    @Override
    public String url() {
        if (route != null) {
            return route.connector().endpoint().url();
        }
        return routes.byUser() ? "routes by user" : routes.only().connector().endpoint().url();
    }

    @Override
    public TlsSummary tls() {
        return routed == null ? TlsSummary.NONE : routed.tls();
    }

    @Override
    public boolean needsMaildrop() {
        return routed != null && routed.needsMaildrop();
    }

    @Override
    public Mailbox mailbox() {
        return routed.mailbox();
    }
}
