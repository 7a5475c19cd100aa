package org.popbridge.proxy.smtp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.metrics.Limit;
import org.popbridge.proxy.core.metrics.LoginFailure;
import org.popbridge.proxy.core.metrics.UpstreamStage;
import org.popbridge.proxy.core.session.ClientAddress;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.session.HttpRequestLine;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.LoginDeadline;
import org.popbridge.proxy.core.session.UserSessions;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.core.session.RootCause;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.popbridge.proxy.core.tls.ListenerTls;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpInput;
import org.popbridge.proxy.smtp.SmtpOverlongLine;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's SMTP submission session (RFC 6409), as nginx's mail proxy does it: popbridge
 * greets, answers EHLO, STARTTLS (RFC 3207) and AUTH (RFC 4954) itself, so no server is
 * contacted before a login; then the user's submission server logs in with the client's
 * credentials, and from its 235 on, commands and message data are relayed. Commands a client
 * pipelines (RFC 2920) are handled one at a time, so replies keep their order. Mail
 * transactions are the {@link MailRelay}'s; the session filters hear every command through
 * the {@link SmtpAudit}.
 */
public final class SmtpSession extends ChannelInboundHandlerAdapter
        implements SubmissionLeg.Events, SmtpLogin.Steps, MailRelay.Context {

    /** Pipeline name of the decoder, which STARTTLS and DATA tell what comes next. */
    public static final String COMMAND_DECODER = "smtp-command-decoder";
    /** RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets with its CRLF. */
    public static final int COMMAND_LINE_OCTETS = 512;

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ListenerSettings listener;
    private final SmtpSettings settings;
    private final SmtpUpstream.Factory upstreams;
    private final Deque<SmtpInput> waiting = new ArrayDeque<>();
    private final SmtpLogin login;
    private ChannelHandlerContext ctx;
    private String id;
    private SmtpPhase phase = SmtpPhase.INITIAL;
    private final SubmissionLeg server;
    private boolean tlsStarting;
    private boolean closing;
    private int consecutiveErrors;
    private SmtpAudit audit;
    private UserSessions users;
    private MailRelay mail;
    /** How the session ended, for the audit's summary. */
    private String end = "client disconnected";

    public SmtpSession(ListenerSettings listener, SmtpSettings settings, SmtpUpstream.Factory upstreams) {
        this.listener = listener;
        this.settings = settings;
        this.upstreams = upstreams;
        this.server = new SubmissionLeg(upstreams, this);
        this.login = new SmtpLogin(listener, Math.max(COMMAND_LINE_OCTETS, listener.limits().commandLineOctets()), this);
    }

    // ---- client channel events

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        id = ctx.channel().id().asShortText();
        log.info("[{}] connection from {} on {}", id, ClientAddress.describe(ctx.channel()), listener.name());
        audit = SmtpAudit.of(settings.filters(), id, ClientAddress.describe(ctx.channel()), listener.name(),
                upstreams.describe());
        mail = new MailRelay(this, server, id, settings, listener.meters());
        users = new UserSessions(listener.clients(), id, ctx.channel(), listener.name());
        if (!listener.implicitTls()) {
            // With implicit TLS the greeting waits for the handshake (RFC 8314 section 3.3).
            greet();
        }
        ctx.fireChannelActive();
    }

    private void greet() {
        ctx.writeAndFlush(SmtpReply.of(220, settings.hostname() + " ESMTP popbridge ready"));
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof SmtpInput input) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (mail.readingData()) {
            mail.messageData(input);
            return;
        }
        waiting.addLast(input);
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        drain();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            login.tlsEstablished();
            if (tlsStarting) {
                // RFC 3207 section 4.2: everything known before TLS is forgotten; EHLO again.
                tlsStarting = false;
                phase = SmtpPhase.INITIAL;
                drain();
            } else {
                greet();
            }
        }
        if (event == LoginDeadline.INSTANCE) {
            if (phase != SmtpPhase.RELAYING && !closing) {
                log.info("[{}] no login within the login timeout, closing (user {})", id, userForLog());
                listener.meters().limitHit(Limit.LOGIN_TIMEOUT);
                closeWith(SmtpReply.of(421, "4.4.2 Too long without logging in, closing connection"));
            }
            return;
        }
        if (event instanceof IdleStateEvent && (server.busy() || phase == SmtpPhase.LOGGING_IN)) {
            // It is the server's turn, not the client's: reply-timeout bounds the wait.
            return;
        }
        if (event instanceof IdleStateEvent) {
            log.info("[{}] closing idle session (user {})", id, userForLog());
            listener.meters().limitHit(Limit.IDLE_TIMEOUT);
            closeWith(SmtpReply.of(421, "4.4.2 Idle for too long, closing connection"));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!closing && mail.inMessage()) {
            log.info("[{}] client disconnected in the middle of a message (user {}): nothing is sent", id, userForLog());
        }
        closing = true;
        releaseWaiting();
        mail.abort();
        users.ended();
        TlsSummary upstreamTls = server.tls();
        server.close();
        audit.ended(login.user(), ctx.pipeline().get(ClientOctets.class),
                NegotiatedTls.of(ctx.pipeline().get(SslHandler.class)), upstreamTls, end);
        log.info("[{}] session ended (user {})", id, userForLog());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.info("[{}] client connection failed: {}", id, RootCause.describe(cause));
        log.debug("[{}] client connection failure detail", id, cause);
        closing = true;
        end = "client connection failed";
        mail.abort();
        server.close();
        ctx.close();
    }

    // ---- the command queue

    /** Handles waiting input for as long as replies keep their order. */
    private void drain() {
        while (!waiting.isEmpty() && !closing && !server.busy() && phase != SmtpPhase.LOGGING_IN && !tlsStarting
                && !mail.inMessage()) {
            handle(waiting.removeFirst());
        }
        ctx.flush();
        ctx.channel().config().setAutoRead(!closing && mail.wantsInput()
                && waiting.size() < listener.limits().pipelinedCommands());
    }

    private void handle(SmtpInput input) {
        if (login.inProgress() && input instanceof SmtpCommand response) {
            login.respond(response.line());
            return;
        }
        if (input instanceof SmtpOverlongLine overlong) {
            listener.meters().limitHit(Limit.COMMAND_LINE_OCTETS);
            error(SmtpReply.of(500, "5.5.6 Line too long (limit " + overlong.limit() + " octets)"));
            return;
        }
        if (!(input instanceof SmtpCommand command)) {
            ReferenceCountUtil.release(input);
            error(SmtpReply.of(503, "5.5.1 No message data expected now"));
            return;
        }
        MaskedLine shown = login.shown(command);
        log.debug("[{}] C: {}", id, LogText.of(shown));
        if (command.line().indexOf('\r') >= 0 || command.line().indexOf('\0') >= 0) {
            // RFC 5321 section 2.3.8: CR only in CRLF. Such a line is neither relayed nor run.
            error(SmtpReply.of(501, "5.5.2 Syntax error: CR or NUL inside a command line"));
            return;
        }
        SmtpVerb verb = command.verb().orElse(null);
        if (verb == null) {
            unknown(command, shown);
            return;
        }
        SmtpReply refusal = audit.command(shown, login.user());
        if (refusal != null) {
            if (verb == SmtpVerb.DATA || verb == SmtpVerb.STARTTLS) {
                decoder().resumeCommands();
            }
            reply(refusal);
            return;
        }
        consecutiveErrors = 0;
        switch (verb) {
            case EHLO -> ehlo(command);
            case HELO -> ehlo(command);
            case STARTTLS -> startTls();
            case AUTH -> auth(command);
            case QUIT -> quit();
            case NOOP -> reply(SmtpReply.of(250, "2.0.0 OK"));
            case HELP -> reply(SmtpReply.of(214, "2.0.0 See RFC 5321"));
            case VRFY -> reply(SmtpReply.of(252, "2.5.0 Cannot VRFY user, but will accept message"));
            case RSET -> relayedOrLocal(command);
            case MAIL, RCPT, DATA -> transaction(verb, command);
        }
    }

    private void unknown(SmtpCommand command, MaskedLine shown) {
        audit.command(shown, login.user());
        if (HttpRequestLine.matches(command.keyword())) {
            // Going on would run an HTTP body's lines as SMTP commands (ALPACA).
            log.info("[{}] HTTP request on an SMTP port, closing", id);
            closeWith(SmtpReply.of(554, "5.7.0 This port speaks SMTP, not HTTP"));
            return;
        }
        error(SmtpReply.of(500, "5.5.2 Command not recognized"));
    }

    // ---- answered by popbridge

    /** EHLO and HELO: answered here; after login a transaction the server holds is reset first (RFC 5321 section 4.1.4). */
    private void ehlo(SmtpCommand command) {
        if (phase == SmtpPhase.INITIAL) {
            phase = SmtpPhase.GREETED;
        }
        boolean startTls = !login.tls() && listener.tls() != null && phase == SmtpPhase.GREETED;
        boolean authOffered = phase == SmtpPhase.GREETED && login.allowed();
        String greeting = settings.hostname() + " greets " + command.argument().strip();
        SmtpReply offer = new SmtpReply(250, EhloOffer.lines(greeting, settings.announced().latest(),
                settings.maxMessageSize(), startTls, authOffered));
        answerAfterReset(command.verb().orElseThrow() == SmtpVerb.HELO ? SmtpReply.of(250, settings.hostname()) : offer);
    }

    private void answerAfterReset(SmtpReply answer) {
        if (phase == SmtpPhase.RELAYING) {
            mail.resetThen(answer);
        } else {
            reply(answer);
        }
    }

    private void startTls() {
        if (login.tls() || listener.tls() == null || phase == SmtpPhase.RELAYING) {
            error(SmtpReply.of(503, "5.5.1 STARTTLS not available now"));
            decoder().resumeCommands();
            return;
        }
        tlsStarting = true;
        releaseWaiting();
        // Whatever the client sent after STARTTLS is not trusted (RFC 3207 section 6).
        decoder().discardBufferedInput();
        // Written in clear before TLS is in the pipeline: on the event loop, no read comes between.
        ctx.writeAndFlush(SmtpReply.of(220, "2.0.0 Ready to start TLS"));
        SessionLogScope.addFirst(ctx.pipeline(), ListenerTls.HANDLER_NAME, listener.tls().newHandler(ctx.alloc()));
    }

    private void auth(SmtpCommand command) {
        if (phase == SmtpPhase.INITIAL) {
            error(SmtpReply.of(503, "5.5.1 Say EHLO first"));
        } else if (phase == SmtpPhase.RELAYING) {
            error(SmtpReply.of(503, "5.5.1 Already authenticated"));
        } else if (!login.allowed()) {
            listener.meters().loginFailed(LoginFailure.TLS_REQUIRED);
            error(SmtpReply.of(538, "5.7.11 Encryption required for requested authentication mechanism"));
        } else {
            login.start(command.argument());
        }
    }

    // ---- SmtpLogin.Steps

    @Override
    public void challenge(SmtpReply reply) {
        reply(reply);
    }

    @Override
    public void refused(SmtpReply reply) {
        error(reply);
    }

    @Override
    public void lineLimit(int octets) {
        decoder().lineLimit(octets);
    }

    /** Opens the user's submission server and logs in there; its answer is the client's (RFC 4954 section 6). */
    @Override
    public void logIn(Credentials credentials) {
        phase = SmtpPhase.LOGGING_IN;
        server.logIn(id, ClientAddress.of(ctx.channel()), ctx.channel().eventLoop(), credentials);
    }

    /** The server's connection is closed with the client's: every command was answered, no transaction is open. */
    private void quit() {
        closeWith(SmtpReply.of(221, "2.0.0 Bye"));
        end = "QUIT";
    }

    // ---- relayed after login

    private void relayedOrLocal(SmtpCommand command) {
        if (phase == SmtpPhase.RELAYING) {
            mail.command(SmtpVerb.RSET, command);
        } else {
            reply(SmtpReply.of(250, "2.0.0 OK"));
        }
    }

    private void transaction(SmtpVerb verb, SmtpCommand command) {
        if (phase != SmtpPhase.RELAYING) {
            error(SmtpReply.of(530, "5.7.0 Authentication required"));
            if (verb == SmtpVerb.DATA) {
                decoder().resumeCommands();
            }
            return;
        }
        mail.command(verb, command);
    }

    // ---- MailRelay.Context

    @Override
    public void readingChanged() {
        drain();
    }

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    @Override
    public SmtpAudit audit() {
        return audit;
    }

    @Override
    public String user() {
        return login.user();
    }

    // ---- SubmissionLeg.Events

    @Override
    public void loggedIn(SmtpReply reply, ServerExtensions extensions) {
        if (closing) {
            return;
        }
        settings.announced().learn(extensions);
        if (reply.isPositive()) {
            if (!users.loggedIn(login.user())) {
                log.info("[{}] user {} has too many sessions from this address, closing", id, userForLog());
                listener.meters().limitHit(Limit.CONNECTIONS_PER_USER_IP);
                closeWith(SmtpReply.of(421, "4.7.0 Too many sessions for this user from your address"));
                return;
            }
            phase = SmtpPhase.RELAYING;
            listener.meters().loggedIn();
            log.info("[{}] user {} logged in at {}", id, userForLog(), server.url());
            reply(reply);
            drain();
            return;
        }
        log.info("[{}] login of user {} refused by {}: {}", id, userForLog(), server.url(), reply.code());
        // The route's server said no, or no route took the user (the route table's name then).
        listener.meters().upstreamFailed(server.url(), UpstreamStage.LOGIN);
        listener.meters().loginFailed(reply.isTransient() ? LoginFailure.UNAVAILABLE : LoginFailure.REFUSED);
        server.close();
        if (reply.isTransient()) {
            // The server could not log anyone in just now: not a wrong password.
            phase = SmtpPhase.GREETED;
            reply(reply);
            drain();
            return;
        }
        // The refusal waits the failure delay (growing per address); LOGGING_IN holds later commands.
        users.refuse(login.user(), ctx.channel().eventLoop(), new UserSessions.FailedLogin() {
            @Override
            public boolean closed() {
                return closing;
            }

            @Override
            public void reply() {
                phase = SmtpPhase.GREETED;
                SmtpSession.this.reply(reply);
            }

            @Override
            public void goOn() {
                drain();
            }

            @Override
            public void closeForTooMany() {
                listener.meters().limitHit(Limit.AUTH_FAILURES);
                closeWith(SmtpReply.of(421, "4.7.0 Too many failed logins, closing connection"));
            }
        });
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
    public void progressed() {
        if (!closing) {
            drain();
        }
    }

    @Override
    public void lost(String why, Throwable cause) {
        if (closing) {
            return;
        }
        Optional<UpstreamProblem> problem = UpstreamProblemException.in(cause);
        if (problem.isPresent()) {
            // A problem reaching the server: the sentence says all, with the fix.
            log.warn("[{}] submission server: {} (user {}, {})", id, problem.get().sentence(), userForLog(), phase);
        } else {
            log.warn("[{}] submission server {}: {} (user {}, {})", id, LogText.of(why), RootCause.describe(cause),
                    userForLog(), phase);
        }
        log.debug("[{}] submission server failure detail", id, cause);
        if (phase == SmtpPhase.LOGGING_IN) {
            listener.meters().upstreamFailed(server.url(), UpstreamProblemException.stage(cause));
            listener.meters().loginFailed(LoginFailure.UNAVAILABLE);
            // The client may try again later; nothing was sent.
            phase = SmtpPhase.GREETED;
            reply(SmtpReply.of(454, "4.7.0 Temporary authentication failure: mail server unavailable"));
            drain();
            return;
        }
        // Never a 250 for a message the server did not accept: a temporary failure, so the client retries.
        closeWith(SmtpReply.of(421, "4.4.2 Connection to the mail server lost, try again later"));
    }

    // ---- replies and the end

    @Override
    public void reply(SmtpReply reply) {
        audit.replied(reply);
        ctx.write(reply);
    }

    /** A reply for a command the client should not have sent; too many in a row close the session. */
    private void error(SmtpReply reply) {
        consecutiveErrors++;
        if (consecutiveErrors > listener.limits().protocolErrors()) {
            log.info("[{}] {} consecutive errors, closing (user {})", id, consecutiveErrors, userForLog());
            listener.meters().limitHit(Limit.PROTOCOL_ERRORS);
            closeWith(SmtpReply.of(421, "4.7.0 Too many errors, closing connection"));
            return;
        }
        reply(reply);
    }

    /** Says {@code reply} and closes; the server, if any, is closed without a "." (nothing sent). */
    @Override
    public void closeWith(SmtpReply reply) {
        if (closing) {
            return;
        }
        closing = true;
        end = reply.code() + " " + reply.text();
        releaseWaiting();
        mail.abort();
        server.close();
        audit.replied(reply);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseWaiting() {
        while (!waiting.isEmpty()) {
            ReferenceCountUtil.release(waiting.removeFirst());
        }
    }

    @Override
    public SmtpCommandDecoder decoder() {
        return (SmtpCommandDecoder) ctx.pipeline().get(COMMAND_DECODER);
    }

    private LogText userForLog() {
        return login.userForLog();
    }
}
