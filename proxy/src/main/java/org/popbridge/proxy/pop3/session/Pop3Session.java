package org.popbridge.proxy.pop3.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.metrics.Limit;
import org.popbridge.proxy.core.metrics.LoginFailure;
import org.popbridge.proxy.core.metrics.UpstreamStage;
import org.popbridge.proxy.core.session.ClientAddress;
import org.popbridge.proxy.core.session.LoginDeadline;
import org.popbridge.proxy.core.session.UserSessions;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.core.session.RootCause;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.popbridge.proxy.pop3.ClientInput;
import org.popbridge.proxy.pop3.OverlongLine;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.StatusLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's POP3 session: the state machine (RFC 1939 section 3), the queue of commands
 * read but not yet handled, and the bridge to the upstream link. Commands are handled in
 * order; one that may change the state waits until everything before it is answered, so
 * replies always reach the client in the order the commands were sent.
 */
public final class Pop3Session extends ChannelInboundHandlerAdapter
        implements SessionContext, SessionLogin.Steps, MaildropGate.Replies, Pop3Upstream.Listener {

    /** Pipeline name of the decoder, so STLS can find it. */
    public static final String COMMAND_DECODER = "pop3-command-decoder";

    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    private final ListenerSettings listener;
    private final Pop3Upstream.Factory upstreams;
    /** The chain whose session filters, if any, the audit reports to. */
    private final FilterChain chain;
    private final Deque<ClientInput> waiting = new ArrayDeque<>();
    private final SessionMetrics metrics;
    private final MaildropGate gate;
    private ClientConnection client;
    private SessionLogin login;
    private UserSessions users;
    private String clientAddress;
    private Pop3Upstream upstream;
    private String id;
    private Pop3State state = Pop3State.AUTHORIZATION;
    private UpstreamCapabilities capabilities = UpstreamCapabilities.none();
    private boolean closing;
    private int consecutiveErrors;
    /** Null unless session filters are on. */
    private SessionAudit audit;
    /** How the session ended, for the audit log; null while it runs. */
    private SessionEnd end;

    /**
     * @param messageFiltering the proxy's filters, or null to relay messages as they are
     */
    public Pop3Session(ListenerSettings listener, Pop3Upstream.Factory upstreams, MessageFiltering messageFiltering) {
        this.listener = listener;
        this.upstreams = upstreams;
        this.metrics = new SessionMetrics(listener.meters());
        this.chain = messageFiltering == null ? FilterChain.empty() : messageFiltering.chain();
        this.gate = new MaildropGate(messageFiltering, this);
    }

    // ---- client channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        id = ctx.channel().id().asShortText();
        client = new ClientConnection(ctx, listener, id);
        login = new SessionLogin(client, listener.limits(), this);
        users = new UserSessions(listener.clients(), id, ctx.channel(), listener.name());
        clientAddress = ClientAddress.describe(ctx.channel());
        log.info("[{}] connection from {} on {}", id, ClientAddress.describe(ctx.channel()), listener.name());
        upstream = upstreams.open(this, id, ClientAddress.of(ctx.channel()));
        audit = SessionAudit.attach(ctx, chain, id, listener.name(), upstreams.describe());
        upstream.connect(ctx.channel().eventLoop());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ClientInput input)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing) {
            return;
        }
        if (!login.saslInProgress() && CommandCheck.isStls(input)) {
            // Read nothing more until STLS is answered. If it is accepted, whatever the client
            // sent after it is discarded (RFC 2595 section 4); if refused, it is handled as usual.
            client.stlsRequested();
        }
        waiting.addLast(input);
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null) {
            upstream.resumeReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SniCompletionEvent sni && sni.isSuccess()) {
            client.serverName(sni.hostname());
        }
        // A failed handshake closes the connection; after STLS, a successful one lets commands be read again.
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()
                && client.tlsEstablished(closing)) {
            drain();
        }
        if (event instanceof IdleStateEvent && upstream != null && upstream.awaitingReplies()) {
            // It is the server's turn, not the client's: reply-timeout bounds the wait.
            return;
        }
        if (event instanceof IdleStateEvent) {
            log.info("[{}] closing idle session (user {})", id, userForLog());
            listener.meters().limitHit(Limit.IDLE_TIMEOUT);
            writeAndClose("Disconnected for inactivity");
            return;
        }
        if (event == LoginDeadline.INSTANCE) {
            if (state == Pop3State.AUTHORIZATION && !closing) {
                log.info("[{}] no login within the login timeout, closing (user {})", id, userForLog());
                listener.meters().limitHit(Limit.LOGIN_TIMEOUT);
                writeAndClose("[SYS/TEMP] Too long without logging in, closing connection");
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            log.info("[{}] client disconnected in {} (user {}): no deletion is applied upstream", id, state, userForLog());
        }
        closing = true;
        waiting.clear();
        if (upstream != null) {
            upstream.close();
        }
        users.ended();
        log.info("[{}] session ended: {}", id, metrics.summary(userForLog(), state));
        if (audit != null) {
            audit.ended(login.user(), metrics, ctx.pipeline().get(ClientOctets.class), client.tlsSummary(),
                    upstream == null ? TlsSummary.NONE : upstream.tls(), end == null ? SessionEnd.CLIENT_DISCONNECTED : end);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("[{}] client connection failed: {}", id, RootCause.describe(cause));
        log.debug("[{}] client connection failure detail", id, cause);
        endAs(SessionEnd.CLIENT_FAILED);
        shutDown(client::close);
    }

    // ---- the command queue

    /** Handles waiting commands for as long as the order of replies allows. */
    @Override
    public void drain() {
        while (!waiting.isEmpty() && !closing && upstream.ready() && !gate.holdsCommands()) {
            ClientInput input = waiting.peekFirst();
            if (login.expectsSaslResponse()) {
                waiting.removeFirst();
                upstream.sendContinuation(login.saslResponse(input));
                continue;
            }
            if (upstream.awaitingReplies() && !canPipeline(input)) {
                break;
            }
            waiting.removeFirst();
            handle(input);
            if (!login.saslInProgress() && CommandCheck.isStls(input)) {
                // If the STLS was refused (wrong state, already TLS), read commands again.
                client.stlsRefused();
            }
        }
        upstream.flush();
        client.flush();
        client.readMore(waiting.size() < listener.limits().pipelinedCommands() && !closing);
    }

    /** Whether the command may go upstream before the commands already sent are answered. */
    private boolean canPipeline(ClientInput input) {
        return !login.saslInProgress() && !upstream.barrierPending()
                && CommandCheck.pipelinable(input, state, capabilities, gate.maildrop() != null)
                && (gate.maildrop() == null || CommandCheck.reachesMailbox(input, gate.maildrop()));
    }

    private void handle(ClientInput input) {
        if (input instanceof Pop3Command command) {
            MaskedLine shown = login.shown(command);
            log.debug("[{}] C: {}", id, LogText.of(shown));
            metrics.command(command.keyword());
            String refusal = audit == null ? null : audit.refusal(command, shown, login.user());
            if (refusal != null) {
                reply(StatusLine.err(refusal));
                return;
            }
        } else if (audit != null) {
            audit.nonCommand();
        }
        CommandCheck.Outcome outcome = CommandCheck.of(input, state, capabilities);
        if (outcome instanceof CommandCheck.Dispatch dispatch) {
            consecutiveErrors = 0;
            CommandHandlers.of(dispatch.verb(), gate.maildrop() != null).handle(dispatch.verb(), dispatch.command(), this);
        } else if (outcome instanceof CommandCheck.RelayExtension extension) {
            consecutiveErrors = 0;
            forward(extension.command(), relay());
        } else if (outcome instanceof CommandCheck.Refuse refusal) {
            if (input instanceof OverlongLine) {
                listener.meters().limitHit(Limit.COMMAND_LINE_OCTETS);
            }
            protocolError(refusal.text());
        } else {
            // Going on would run the lines of an HTTP body as POP3 commands (ALPACA).
            log.info("[{}] HTTP request on a POP3 port, closing", id);
            writeAndClose("This port speaks POP3, not HTTP");
        }
    }

    // ---- SessionContext: state and replies

    @Override
    public Pop3State state() {
        return state;
    }

    @Override
    public void enter(Pop3State next) {
        log.debug("[{}] {} -> {}", id, state, next);
        state = next;
    }

    @Override
    public void reply(StatusLine status) {
        client.write(status);
    }

    @Override
    public void replyMultiline(StatusLine status, List<String> lines) {
        client.writeMultiline(status, lines);
    }

    @Override
    public void protocolError(String text) {
        consecutiveErrors++;
        if (consecutiveErrors > listener.limits().protocolErrors()) {
            log.info("[{}] {} consecutive protocol errors, closing (user {})", id, consecutiveErrors, userForLog());
            listener.meters().limitHit(Limit.PROTOCOL_ERRORS);
            writeAndClose("Too many errors, closing connection");
            return;
        }
        reply(StatusLine.err(text));
    }

    @Override
    public void forward(Pop3Command command, ReplyHandler handler) {
        upstream.send(command, PendingCommand.of(command, handler));
    }

    @Override
    public ReplyHandler relay() {
        return client.relay(upstream, metrics);
    }

    @Override
    public UpstreamCapabilities upstreamCapabilities() {
        return capabilities;
    }

    @Override
    public Executor executor() {
        // A filter's answer comes back to the loop as this session's.
        return SessionLog.carried(client.executor());
    }

    @Override
    public SessionMetrics metrics() {
        return metrics;
    }

    // ---- the login role

    @Override
    public LoginContext login() {
        return login;
    }

    @Override
    public void startStls() {
        waiting.clear();
        client.startStls();
    }

    @Override
    public void loggedIn(StatusLine ok) {
        if (!users.loggedIn(login.user())) {
            log.info("[{}] user {} has too many sessions from {}, closing", id, userForLog(), clientAddress);
            listener.meters().limitHit(Limit.CONNECTIONS_PER_USER_IP);
            // The upstream is left without QUIT: nothing changes there.
            writeAndClose("[IN-USE] Too many sessions for this user from your address");
            return;
        }
        enter(Pop3State.TRANSACTION);
        listener.meters().loggedIn();
        log.info("[{}] user {} logged in", id, userForLog());
        if (!gate.numbersMaildrop(upstream)) {
            client.write(ok);
            return;
        }
        // The client's numbers must be the proxy's before it sees +OK: hidden messages never get one.
        gate.numberMaildrop(this, id, login.user(), upstream, () -> {
            client.writeAndFlush(ok);
            drain();
        }, why -> {
            log.warn("[{}] cannot number the maildrop of user {}: {}", id, userForLog(), LogText.of(why));
            // The upstream is left without QUIT: nothing changes there.
            writeAndClose("[SYS/TEMP] cannot read the maildrop, try again later");
        });
    }

    /**
     * A refused login's -ERR waits the failure delay (growing per address, as Dovecot's does),
     * with later replies held behind it; after auth-failures refusals the session closes.
     */
    @Override
    public void loginRefused(Runnable reply) {
        metrics.loginFailed(LoginFailure.REFUSED);
        // The route's server said no, or no route took the user (the route table's name then).
        listener.meters().upstreamFailed(upstream.url(), UpstreamStage.LOGIN);
        hold();
        users.refuse(login.user(), client.eventLoop(), new UserSessions.FailedLogin() {
            @Override
            public boolean closed() {
                return closing;
            }

            @Override
            public void reply() {
                reply.run();
            }

            @Override
            public void goOn() {
                release();
            }

            @Override
            public void closeForTooMany() {
                listener.meters().limitHit(Limit.AUTH_FAILURES);
                writeAndClose("[AUTH] Too many failed logins, closing connection");
            }
        });
    }

    // ---- SessionContext: message filters

    @Override
    public MaildropContext numberedMaildrop() {
        return gate.numbered();
    }

    /** A filter decides: later replies wait, and reading from the upstream pauses. */
    @Override
    public void hold() {
        upstream.suspendReplies();
    }

    /** The filter has decided: what was held goes out, and reading resumes if the client can take it. */
    @Override
    public void release() {
        client.flush();
        boolean readAgain = upstream.resumeReplies();
        if (readAgain && client.isWritable()) {
            upstream.resumeReading();
        }
        drain();
    }

    // ---- SessionContext: closing

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void closeAfterReplies() {
        endAs(SessionEnd.QUIT);
        shutDown(client::closeAfterFlush);
    }

    @Override
    public void abortMidReply(String reason) {
        log.warn("[{}] closing mid-reply: {} (user {})", id, reason, userForLog());
        end = SessionEnd.closedMidReply(reason);
        // What was written goes out, so the client sees the message cut short, never its end.
        shutDown(client::closeAfterFlush);
    }

    private void writeAndClose(String errText) {
        endAs(SessionEnd.closedWith(errText));
        shutDown(() -> client.closeWith(StatusLine.err(errText)));
    }

    /** Handles no more commands; closes the client as given, and the upstream without QUIT. */
    private void shutDown(Runnable closeClient) {
        closing = true;
        waiting.clear();
        closeClient.run();
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The first reason given is how the session ended; what follows is its consequence. */
    private void endAs(SessionEnd why) {
        if (end == null) {
            end = why;
        }
    }

    // ---- Pop3Upstream.Listener

    @Override
    public void upstreamReady(String apopTimestamp, UpstreamCapabilities upstreamCapabilities) {
        capabilities = upstreamCapabilities;
        StatusLine greeting = StatusLine.ok("popbridge ready" + (apopTimestamp == null ? "" : " " + apopTimestamp));
        // During an implicit TLS handshake the greeting waits for it to complete.
        if (client.writeOrHold(greeting)) {
            drain();
        }
    }

    @Override
    public void bearerLoggedIn() {
        listener.meters().bearerLoggedIn();
    }

    @Override
    public void upstreamAuthFailed(UpstreamAuthFailure failure) {
        listener.meters().tokenFailed(failure.meter());
    }

    @Override
    public void upstreamCapabilitiesChanged(UpstreamCapabilities upstreamCapabilities) {
        capabilities = upstreamCapabilities;
    }

    @Override
    public void replyFinished() {
        drain();
    }

    @Override
    public void upstreamReadComplete() {
        client.flush();
    }

    @Override
    public void upstreamFailed(UpstreamFailure failure, boolean midReply, Throwable cause) {
        if (closing) {
            return;
        }
        // A problem reaching the server is said in words; anything else by its innermost cause.
        String why = UpstreamProblemException.in(cause).map(UpstreamProblem::sentence)
                .orElseGet(() -> RootCause.describe(cause));
        log.warn("[{}] upstream {}: {} (user {}, state {})", id, failure, why, userForLog(), state);
        end = SessionEnd.upstream(failure);
        if (failure == UpstreamFailure.UNAVAILABLE) {
            listener.meters().upstreamFailed(upstream.url(), UpstreamProblemException.stage(cause));
            if (state == Pop3State.AUTHORIZATION) {
                metrics.loginFailed(LoginFailure.UNAVAILABLE);
            }
        }
        log.debug("[{}] upstream failure detail", id, cause);
        if (midReply) {
            // Never finish a truncated body: the client must see the connection drop instead.
            shutDown(client::close);
        } else {
            writeAndClose(failure.clientText());
        }
    }

    private LogText userForLog() {
        return login == null ? LogText.of("-") : login.userForLog();
    }
}
