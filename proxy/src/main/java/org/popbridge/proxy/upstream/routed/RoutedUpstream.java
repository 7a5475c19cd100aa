package org.popbridge.proxy.upstream.routed;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Function;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.session.Credentials;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.pop3.session.ReplyOutbox;
import org.popbridge.proxy.pop3.session.UpstreamCapabilities;
import org.popbridge.proxy.pop3.session.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream of a session whose mail server depends on who logs in, as nginx's mail proxy
 * and Perdition do it: the client is greeted and its USER, PASS or AUTH answered here until
 * the user name is known; then the route's upstream (POP3 or IMAP) is opened, the login is
 * replayed there under the rewritten name, and from its answer on every command goes to it.
 */
public final class RoutedUpstream implements Pop3Upstream {

    private enum Phase { AUTHORIZATION, ROUTING, ROUTED, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(RoutedUpstream.class);

    private final RouteTable routes;
    private final Function<Route, Pop3Upstream.Factory> upstreams;
    private final Listener listener;
    private final String sessionId;
    private final Deque<PendingCommand> commands = new ArrayDeque<>();
    private final ReplyOutbox outbox;
    private EventLoop loop;
    private final LocalAuthorization credentials;
    private Phase phase = Phase.AUTHORIZATION;
    private Pop3Upstream routed;
    private Route route;

    private RoutedUpstream(RouteTable routes, Function<Route, Pop3Upstream.Factory> upstreams, Listener listener,
                          String sessionId) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.listener = listener;
        this.sessionId = sessionId;
        this.outbox = new ReplyOutbox(commands, ByteBufAllocator.DEFAULT, command -> listener.replyFinished());
        this.credentials = new LocalAuthorization(outbox, this::logIn);
    }

    /** Sessions routed by user through {@code routes}; each route's upstream is opened by {@code upstreams}. */
    public static Pop3Upstream.Factory factory(RouteTable routes, Function<Route, Pop3Upstream.Factory> upstreams) {
        return Pop3Upstream.Factory.of("routes by user",
                (listener, sessionId) -> new RoutedUpstream(routes, upstreams, listener, sessionId));
    }

    @Override
    public void connect(EventLoop eventLoop) {
        loop = eventLoop;
        // Nothing to connect to before the user is known: the greeting is popbridge's own.
        loop.execute(() -> listener.upstreamReady(null, LocalAuthorization.CAPABILITIES));
    }

    @Override
    public boolean ready() {
        return phase != Phase.CLOSED && (phase != Phase.ROUTED || routed.ready());
    }

    @Override
    public boolean awaitingReplies() {
        return !commands.isEmpty() || (routed != null && phase == Phase.ROUTED && routed.awaitingReplies());
    }

    @Override
    public boolean barrierPending() {
        return commands.stream().anyMatch(PendingCommand::barrier)
                || (routed != null && phase == Phase.ROUTED && routed.barrierPending());
    }

    @Override
    public void send(String line, PendingCommand pending) {
        if (phase == Phase.ROUTED) {
            routed.send(line, pending);
            return;
        }
        commands.addLast(pending);
        Pop3Command command = new Pop3Command(line);
        // Answered on a later turn of the loop, never inside the session's own send.
        loop.execute(() -> answer(command));
    }

    @Override
    public void sendContinuation(String line) {
        if (phase == Phase.ROUTED) {
            routed.sendContinuation(line);
        } else if (credentials.awaitingContinuation()) {
            credentials.continuation(line);
        }
    }

    private void answer(Pop3Command command) {
        if (phase != Phase.CLOSED) {
            credentials.handle(command);
        }
    }

    /** Picks the route for the user, opens its upstream and replays the login there. */
    private void logIn(Credentials given) {
        Optional<Route> found = routes.forUser(given.user());
        if (found.isEmpty()) {
            log.info("[{}] no route for user {}", sessionId, given.user());
            outbox.err("[AUTH] Authentication failed");
            return;
        }
        route = found.get();
        String upstreamUser = route.rewrite().apply(given.user());
        log.info("[{}] user {} routed to {} as {}", sessionId, given.user(),
                route.connector().route().url(), upstreamUser);
        phase = Phase.ROUTING;
        RoutedListener events = new RoutedListener(new Credentials(given.authzid(), upstreamUser,
                given.password(), given.viaSaslPlain()));
        routed = upstreams.apply(route).open(events, sessionId);
        events.upstream = routed;
        routed.connect(loop);
    }

    /** The routed upstream's events: during the replayed login they end here, after it they go to the session. */
    private final class RoutedListener implements Listener {

        private final Credentials login;
        /** The upstream these events come from; a replaced one (a failed login) is not heard. */
        private Pop3Upstream upstream;
        private UpstreamCapabilities capabilities;

        private boolean current() {
            return upstream != null && upstream == routed;
        }

        RoutedListener(Credentials login) {
            this.login = login;
        }

        @Override
        public void upstreamReady(String apopTimestamp, UpstreamCapabilities upstreamCapabilities) {
            if (!current()) {
                return;
            }
            capabilities = upstreamCapabilities;
            // The client's way of logging in where the upstream has it; an authorization identity needs PLAIN.
            boolean plain = !login.authzid().isEmpty()
                    || upstreamCapabilities.relayableSaslMechanisms().contains("PLAIN")
                    && (login.viaSaslPlain() || !upstreamCapabilities.has("USER"));
            if (plain) {
                String message = login.authzid() + "\0" + login.user() + "\0" + login.password();
                String response = Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
                routed.send("AUTH PLAIN " + response, new PendingCommand("AUTH", false, true, this::loginAnswered));
            } else {
                routed.send("USER " + login.user(), new PendingCommand("USER", false, true, status -> {
                    if (!status.isOk()) {
                        loginAnswered(status);
                    }
                }));
                routed.send("PASS " + login.password(),
                        new PendingCommand("PASS", false, true, this::loginAnswered));
            }
            routed.flush();
        }

        private void loginAnswered(StatusLine status) {
            if (phase != Phase.ROUTING || !current()) {
                // A USER refusal already answered; the PASS after it is refused too.
                return;
            }
            if (status.status() == StatusLine.Status.CONTINUATION) {
                // The upstream wants the AUTH response after all: it was sent inline, so this is a refusal.
                status = StatusLine.err("[AUTH] Authentication failed");
            }
            if (status.isOk()) {
                phase = Phase.ROUTED;
                listener.upstreamCapabilitiesChanged(capabilities);
            } else {
                phase = Phase.AUTHORIZATION;
                Pop3Upstream failed = routed;
                routed = null;
                // The client may try again, perhaps as another user on another route.
                loop.execute(failed::close);
            }
            outbox.reply(status);
        }

        @Override
        public void replyFinished() {
            if (phase == Phase.ROUTED && current()) {
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
            if (!current()) {
                return;
            }
            if (phase == Phase.ROUTING) {
                phase = Phase.CLOSED;
                outbox.close();
            }
            listener.upstreamFailed(failure, midReply, cause);
        }
    }

    @Override
    public void flush() {
        if (phase == Phase.ROUTED) {
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
        outbox.suspend();
        if (routed != null) {
            routed.suspendReplies();
        }
    }

    @Override
    public boolean resumeReplies() {
        boolean suspendedAgain = outbox.resume();
        return routed != null && phase == Phase.ROUTED ? routed.resumeReplies() : !suspendedAgain;
    }

    @Override
    public void close() {
        phase = Phase.CLOSED;
        outbox.close();
        if (routed != null) {
            routed.close();
        }
    }

    @Override
    public String url() {
        return route == null ? "routes by user" : route.connector().route().url();
    }

    @Override
    public TlsSummary tls() {
        return routed == null ? TlsSummary.NONE : routed.tls();
    }
}
