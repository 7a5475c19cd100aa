package org.popbridge.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.SessionFilters;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.filtering.MessageFiltering;
import org.popbridge.proxy.maildrop.Maildrop;
import org.popbridge.proxy.pop3.ClientInput;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3CommandDecoder;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.upstream.UpstreamConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's POP3 session: the state machine (RFC 1939 section 3), the queue of commands
 * read but not yet handled, and the bridge to the upstream link. Commands are handled in
 * order; one that may change the state waits until everything before it is answered, so
 * replies always reach the client in the order the commands were sent.
 */
public final class Pop3Session extends ChannelInboundHandlerAdapter implements SessionContext, UpstreamLink.Listener {

    /** Pipeline names, so STLS can find the decoder and put TLS in front of everything. */
    public static final String TLS_HANDLER = "tls";
    public static final String COMMAND_DECODER = "pop3-command-decoder";

    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    private final ListenerSettings listener;
    private final UpstreamConnector connector;
    private final MessageFiltering messageFiltering;
    private final FilterChain chain;
    private final Deque<ClientInput> waiting = new ArrayDeque<>();
    private final SessionMetrics metrics = new SessionMetrics();
    private ChannelHandlerContext client;
    private UpstreamLink upstream;
    private String id;
    private SessionState state = SessionState.AUTHORIZATION;
    private UpstreamCapabilities capabilities = UpstreamCapabilities.none();
    private final ClientTlsState tls;
    private boolean saslExchange;
    private boolean saslResponseExpected;
    private SaslIdentity saslIdentity;
    private boolean closing;
    private int consecutiveErrors;
    private String user;
    private SessionFiltering filtering;
    private Maildrop maildrop;
    /** The maildrop is being numbered at login: client commands wait. */
    private boolean scanning;
    /** A filter is deciding on a message: client commands wait, so replies stay in order. */
    private boolean repliesSuspended;
    private SessionAudit audit;
    private TlsSummary clientTls = TlsSummary.NONE;
    /** How the session ended, for the audit log; null while it runs. */
    private String end;

    /**
     * @param messageFiltering the proxy's filters, or null to relay messages as they are
     */
    public Pop3Session(ListenerSettings listener, UpstreamConnector connector, MessageFiltering messageFiltering) {
        this.listener = listener;
        this.connector = connector;
        this.messageFiltering = messageFiltering != null && messageFiltering.active() ? messageFiltering : null;
        this.chain = messageFiltering == null ? FilterChain.empty() : messageFiltering.chain();
        this.tls = new ClientTlsState(listener.implicitTls());
    }

    // ---- client channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx;
        id = ctx.channel().id().asShortText();
        log.info("[{}] connection from {} on {}", id, ctx.channel().remoteAddress(), listener.name());
        if (chain.filtersSessions()) {
            SessionInfo info = new SessionInfo(id, address(ctx.channel().remoteAddress()), listener.name(),
                    connector.route().url());
            audit = new SessionAudit(new SessionFilters(chain.sessionFilters(info), failure ->
                    log.warn("[{}] session filter {}", id, failure.describe())), info);
            ctx.pipeline().addBefore(ctx.name(), "audit", audit);
        }
        upstream = new UpstreamLink(connector, this, id);
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
        if (isStls(input)) {
            // Read nothing more until STLS is answered. If it is accepted, whatever the client
            // sent after it is discarded (RFC 2595 section 4); if refused, it is handled as usual.
            tls.stlsRequested();
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
            tls.serverName(sni.hostname());
        }
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            tlsHandshakeDone(handshake);
        }
        if (event instanceof IdleStateEvent) {
            log.info("[{}] closing idle session (user {})", id, userForLog());
            writeAndClose("Disconnected for inactivity");
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            log.info("[{}] client disconnected in {} (user {}): upstream closed without QUIT", id, state, userForLog());
        }
        closing = true;
        waiting.clear();
        if (upstream != null) {
            upstream.close();
        }
        log.info("[{}] session ended: {}", id, metrics.summary(userForLog(), state));
        if (audit != null) {
            audit.ended(user, metrics, ctx.pipeline().get(ClientOctets.class), clientTls,
                    upstream == null ? TlsSummary.NONE : upstream.tls(), end == null ? "client disconnected" : end);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("[{}] client connection failed: {}", id, describe(cause));
        log.debug("[{}] client connection failure detail", id, cause);
        end = end == null ? "client connection failed" : end;
        closeNow();
    }

    /** Logs what TLS the client got; after STLS, reads commands again. A failed handshake closes the connection. */
    private void tlsHandshakeDone(SslHandshakeCompletionEvent handshake) {
        if (!handshake.isSuccess()) {
            return;
        }
        SslHandler handler = client.pipeline().get(SslHandler.class);
        ClientTlsState.Phase completed = tls.established();
        if (handler != null) {
            clientTls = SessionAudit.tlsOf(handler);
            log.info("[{}] {}: {} {}{}", id, completed == ClientTlsState.Phase.STLS_HANDSHAKE ? "STLS" : "TLS",
                    handler.engine().getSession().getProtocol(), handler.engine().getSession().getCipherSuite(),
                    tls.serverName() == null ? "" : ", server name " + tls.serverName());
        }
        StatusLine held = tls.takeHeld();
        if (held == null) {
            drain();
            return;
        }
        ChannelFuture sent = client.writeAndFlush(held);
        if (closing) {
            sent.addListener(ChannelFutureListener.CLOSE);
        } else {
            drain();
        }
    }

    // ---- the command queue

    /** Handles waiting commands for as long as the order of replies allows. */
    private void drain() {
        while (!waiting.isEmpty() && !closing && upstream.ready() && !scanning && !repliesSuspended) {
            ClientInput input = waiting.peekFirst();
            if (saslResponseExpected) {
                waiting.removeFirst();
                saslResponseExpected = false;
                // Never logged: a SASL response carries the credentials. An overlong one
                // cancels the exchange (RFC 5034 "*"); the upstream's -ERR reaches the client.
                if (input instanceof Pop3Command response && !CommandCheck.hasControlCharacters(response)) {
                    if (saslIdentity != null) {
                        saslIdentity.observe(response.line()).ifPresent(this::identified);
                    }
                    upstream.sendContinuation(response.line());
                } else {
                    upstream.sendContinuation("*");
                }
                continue;
            }
            if (!upstream.inFlight().isEmpty() && !canPipeline(input)) {
                break;
            }
            waiting.removeFirst();
            handle(input);
            if (isStls(input)) {
                // If the STLS was refused (wrong state, already TLS), read commands again.
                tls.stlsRefused();
            }
        }
        upstream.flush();
        client.flush();
        // During the STLS handshake the bytes go to the TLS handler, which must be able to read them.
        boolean acceptMore = waiting.size() < listener.limits().pipelinedCommands() && tls.readable();
        client.channel().config().setAutoRead(acceptMore && !closing);
    }

    /** Whether the command may go upstream before the commands already sent are answered. */
    private boolean canPipeline(ClientInput input) {
        if (!(input instanceof Pop3Command command) || saslExchange || upstream.inFlight().barrierPending()) {
            return false;
        }
        if (!capabilities.pipelining() || state != SessionState.TRANSACTION) {
            return false;
        }
        Optional<Pop3Verb> verb = Pop3Verb.of(command.keyword());
        if (verb.isPresent() && maildrop != null && verb.get().answeredFromMaildrop()) {
            return false;
        }
        return verb.isPresent() && !verb.get().isBarrier() && verb.get().validIn(state) && verb.get().syntaxOk(command);
    }

    private void handle(ClientInput input) {
        if (input instanceof Pop3Command command) {
            log.debug("[{}] C: {}", id, command);
            metrics.command(command.keyword());
            if (audit != null && refusedByFilter(command)) {
                return;
            }
        } else if (audit != null) {
            audit.nonCommand();
        }
        CommandCheck.Outcome outcome = CommandCheck.of(input, state, capabilities);
        if (outcome instanceof CommandCheck.Dispatch dispatch) {
            consecutiveErrors = 0;
            dispatch.verb().handler().handle(dispatch.verb(), dispatch.command(), this);
        } else if (outcome instanceof CommandCheck.RelayExtension extension) {
            consecutiveErrors = 0;
            forward(extension.command(), false, false, relay());
        } else if (outcome instanceof CommandCheck.Refuse refusal) {
            protocolError(refusal.text());
        } else {
            // Going on would run the lines of an HTTP body as POP3 commands (ALPACA).
            log.info("[{}] HTTP request on a POP3 port, closing", id);
            writeAndClose("This port speaks POP3, not HTTP");
        }
    }

    /** Session filters may refuse a command (policy); the client gets -ERR and nothing goes upstream. */
    private boolean refusedByFilter(Pop3Command command) {
        boolean multilineOnOk = Pop3Verb.of(command.keyword())
                .map(verb -> verb.syntaxOk(command) && verb.multilineOnOk(command)).orElse(false);
        CommandDecision decision = audit.command(SessionAudit.describe(command, user), multilineOnOk);
        if (decision.allowed()) {
            return false;
        }
        log.info("[{}] {} refused by a session filter: {}", id, command.keyword(), decision.reason());
        reply(StatusLine.err(decision.reason()));
        return true;
    }

    // ---- SessionContext

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public void enter(SessionState next) {
        log.debug("[{}] {} -> {}", id, state, next);
        state = next;
    }

    @Override
    public void reply(StatusLine status) {
        client.write(status);
    }

    @Override
    public void replyMultiline(StatusLine status, List<String> lines) {
        client.write(status);
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(line).append("\r\n");
        }
        if (body.length() > 0) {
            ByteBuf content = client.alloc().buffer(body.length());
            content.writeCharSequence(body, StandardCharsets.ISO_8859_1);
            client.write(new ContentChunk(content));
        }
        client.write(EndOfMultiline.INSTANCE);
    }

    @Override
    public void protocolError(String text) {
        consecutiveErrors++;
        if (consecutiveErrors > listener.limits().protocolErrors()) {
            log.info("[{}] {} consecutive protocol errors, closing (user {})", id, consecutiveErrors, userForLog());
            writeAndClose("Too many errors, closing connection");
            return;
        }
        reply(StatusLine.err(text));
    }

    @Override
    public void forward(Pop3Command command, Pop3Verb verb, ReplyHandler handler) {
        forward(command, verb.multilineOnOk(command), verb.isBarrier(), handler);
    }

    @Override
    public void forward(Pop3Command command, boolean multilineOnOk, boolean barrier, ReplyHandler handler) {
        upstream.send(command.line(), new PendingCommand(command.keyword(), multilineOnOk, barrier, handler));
    }

    @Override
    public ReplyHandler relay() {
        return new ClientRelay(client, upstream, metrics);
    }

    @Override
    public boolean plaintextAuthAllowed() {
        return tls.encrypted() || listener.plaintextAuthInClear();
    }

    @Override
    public boolean stlsAvailable() {
        return !tls.encrypted() && !tls.stlsHandshaking() && listener.tls() != null
                && state == SessionState.AUTHORIZATION;
    }

    @Override
    public void startClientTls() {
        tls.stlsAccepted();
        discardUnreadInput();
        waiting.clear();
        // The +OK leaves in clear before TLS is in the pipeline; being on the event loop, no read
        // can come in between, and whatever arrives from now on goes through TLS.
        client.writeAndFlush(StatusLine.ok("Begin TLS negotiation"));
        client.pipeline().addFirst(TLS_HANDLER, listener.tls().newHandler(client.alloc()));
    }

    @Override
    public void awaitSaslResponse() {
        saslExchange = true;
        saslResponseExpected = true;
        decoder().ifPresent(decoder -> decoder.lineLimit(listener.limits().saslLineOctets()));
        // The response may already be waiting (a client that did not wait for the "+ ").
        drain();
    }

    @Override
    public void watchSasl(SaslIdentity identity) {
        saslIdentity = identity;
    }

    @Override
    public void endSaslExchange() {
        saslIdentity = null;
        saslExchange = false;
        saslResponseExpected = false;
        decoder().ifPresent(decoder -> decoder.lineLimit(listener.limits().commandLineOctets()));
    }

    @Override
    public void identified(String name) {
        user = name;
    }

    @Override
    public void authenticated(StatusLine ok) {
        enter(SessionState.TRANSACTION);
        log.info("[{}] user {} logged in", id, userForLog());
        if (messageFiltering == null) {
            client.write(ok);
            return;
        }
        // The client's numbers must be the proxy's before it sees +OK: hidden messages never get one.
        filtering = new SessionFiltering(messageFiltering, id, connector.route().url(), user);
        scanning = true;
        new MaildropScan(this, filtering, capabilities.pipelining(), numbered -> {
            scanning = false;
            maildrop = numbered;
            client.writeAndFlush(ok);
            drain();
        }, why -> {
            log.warn("[{}] cannot number the maildrop of user {}: {}", id, userForLog(), why);
            // The upstream is left without QUIT: nothing changes there.
            writeAndClose("[SYS/TEMP] cannot read the maildrop, try again later");
        }).start();
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public Maildrop maildrop() {
        return maildrop;
    }

    @Override
    public SessionFiltering filtering() {
        return filtering;
    }

    @Override
    public void send(String line, boolean multilineOnOk, ReplyHandler handler) {
        String keyword = line.split(" ", 2)[0];
        upstream.send(line, new PendingCommand(keyword, multilineOnOk, false, handler));
        upstream.flush();
    }

    @Override
    public void suspendReplies() {
        repliesSuspended = true;
        upstream.suspendReplies();
    }

    @Override
    public void resumeReplies() {
        repliesSuspended = false;
        client.flush();
        boolean readAgain = upstream.resumeReplies();
        if (readAgain && client.channel().isWritable()) {
            upstream.resumeReading();
        }
        drain();
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return client.channel().eventLoop();
    }

    @Override
    public void abortMidReply(String reason) {
        log.warn("[{}] closing mid-reply: {} (user {})", id, reason, userForLog());
        end = "closed mid-reply: " + reason;
        // What was written goes out, so the client sees the message cut short, never its end.
        closing = true;
        waiting.clear();
        client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        upstream.close();
    }

    @Override
    public void retrieved() {
        metrics.retrieved();
    }

    @Override
    public void marked() {
        metrics.marked();
    }

    @Override
    public void unmarked() {
        metrics.unmarked();
    }

    @Override
    public void deletionsApplied() {
        metrics.deletionsApplied();
    }

    @Override
    public UpstreamCapabilities upstreamCapabilities() {
        return capabilities;
    }

    @Override
    public void closeAfterReplies() {
        end = end == null ? "QUIT" : end;
        closing = true;
        client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        upstream.close();
    }

    // ---- UpstreamLink.Listener

    @Override
    public void upstreamReady(String apopTimestamp, UpstreamCapabilities upstreamCapabilities) {
        capabilities = upstreamCapabilities;
        StatusLine greeting = StatusLine.ok("popbridge ready" + (apopTimestamp == null ? "" : " " + apopTimestamp));
        if (tls.holdingWrites()) {
            tls.hold(greeting);
            return;
        }
        client.writeAndFlush(greeting);
        drain();
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
        log.warn("[{}] upstream {}: {} (user {}, state {})", id, failure, describe(cause), userForLog(), state);
        end = "upstream " + failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        log.debug("[{}] upstream failure detail", id, cause);
        if (midReply) {
            // Never finish a truncated body: the client must see the connection drop instead.
            closeNow();
        } else {
            writeAndClose(failure.clientText());
        }
    }

    // ---- helpers

    private boolean isStls(ClientInput input) {
        return input instanceof Pop3Command command && !saslExchange && command.keyword().equals("STLS")
                && command.arguments().isEmpty();
    }

    private void discardUnreadInput() {
        decoder().ifPresent(Pop3CommandDecoder::discardBufferedInput);
    }

    private Optional<Pop3CommandDecoder> decoder() {
        return Optional.ofNullable((Pop3CommandDecoder) client.pipeline().get(COMMAND_DECODER));
    }

    private void writeAndClose(String errText) {
        end = end == null ? errText : end;
        closing = true;
        waiting.clear();
        if (tls.holdingWrites()) {
            // Said once the client's TLS is up; the handshake timeout closes a client that never gets there.
            tls.hold(StatusLine.err(errText));
        } else {
            client.writeAndFlush(StatusLine.err(errText)).addListener(ChannelFutureListener.CLOSE);
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void closeNow() {
        closing = true;
        waiting.clear();
        client.close();
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String address(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private String userForLog() {
        return user == null ? "-" : user;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
