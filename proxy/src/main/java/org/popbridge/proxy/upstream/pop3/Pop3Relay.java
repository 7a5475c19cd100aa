package org.popbridge.proxy.upstream.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.core.upstream.BearerMechanism;
import org.popbridge.proxy.core.upstream.SaslBearer;
import org.popbridge.proxy.core.upstream.UpstreamLogin;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamDiagnosis;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.pop3.ApopTimestamp;
import org.popbridge.proxy.pop3.CapaBody;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3CommandEncoder;
import org.popbridge.proxy.pop3.Pop3ReplyDecoder;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.ReplyFraming;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.session.Mailbox;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.pop3.session.ReplyHandler;
import org.popbridge.proxy.pop3.session.UpstreamAdapter;
import org.popbridge.proxy.pop3.session.UpstreamCapabilities;
import org.popbridge.proxy.pop3.session.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session relayed to a POP3 server: the opening handshake (greeting, STLS, CAPA, and XCLIENT
 * where the client's address is forwarded), then each command encoded as the client sent it
 * and each decoded reply put in the session's reply queue; reading pauses and resumes for
 * backpressure. It never sends QUIT on its own: closing it leaves the maildrop unchanged.
 */
public final class Pop3Relay extends UpstreamAdapter {

    private static final Logger log = LoggerFactory.getLogger(Pop3Relay.class);
    private static final String XCLIENT_CODE = "[XCLIENT]";

    private final UpstreamConnector connector;
    private final InetSocketAddress client;
    /**
     * The commands whose replies the decoder has not finished reading. The decoder may be ahead
     * of the handlers: while a filter decides, replies already read wait undelivered.
     */
    private final Deque<PendingCommand> unframed = new ArrayDeque<>();
    private Channel channel;
    private Pop3ReplyDecoder decoder;
    private TlsSummary tls = TlsSummary.NONE;
    private UpstreamCapabilities capabilities = UpstreamCapabilities.none();
    private String apopTimestamp;
    /** Dovecot's pop3-login says {@code +OK [XCLIENT] ...} to the peers it trusts, and lists no XCLIENT in CAPA. */
    private boolean xclientInGreeting;
    private boolean greeted;

    private Pop3Relay(UpstreamConnector connector, Listener listener, String sessionId, InetSocketAddress client) {
        super(listener, sessionId);
        this.connector = connector;
        this.client = client;
    }

    /** Sessions relayed to the POP3 server {@code connector} reaches. */
    public static Pop3Upstream.Factory factory(UpstreamConnector connector) {
        return Pop3Upstream.Factory.of(connector.endpoint().url(),
                (listener, sessionId, client) -> new Pop3Relay(connector, listener, sessionId, client));
    }

    @Override
    protected Throwable explained(Throwable cause) {
        return UpstreamDiagnosis.explain(connector.endpoint(), cause);
    }

    @Override
    public String url() {
        return connector.endpoint().url();
    }

    @Override
    public TlsSummary tls() {
        return tls;
    }

    @Override
    protected void open(EventLoop loop) {
        // The greeting is the first reply awaited, before any command is sent.
        await(new PendingCommand("greeting", false, true, this::onGreeting));
        ChannelFuture connected = connector.connect(loop, client, this::addProtocolHandlers);
        channel = connected.channel();
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                fail(UpstreamFailure.UNAVAILABLE, future.cause());
            } else {
                log.debug("[{}] connected to {}", sessionId, connector.endpoint().url());
            }
        });
    }

    private void addProtocolHandlers(ChannelPipeline pipeline) {
        long replyTimeout = connector.endpoint().replyTimeout().toMillis();
        decoder = new Pop3ReplyDecoder(new Framing());
        pipeline.addLast("reply-timeout", new IdleStateHandler(replyTimeout, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("pop3-reply-decoder", decoder);
        pipeline.addLast("pop3-command-encoder", Pop3CommandEncoder.INSTANCE);
        pipeline.addLast("replies", new RepliesIn());
    }

    @Override
    public void send(Pop3Command command, PendingCommand pending) {
        await(pending);
        channel.write(command, channel.voidPromise());
    }

    /** AUTH XOAUTH2 or OAUTHBEARER, as offered in CAPA's SASL line and allowed by {@code mechanism}. */
    @Override
    public void sendBearerLogin(UpstreamLogin.Bearer login, BearerMechanism mechanism, PendingCommand pending) {
        SaslBearer chosen = mechanism.choose(capabilities.saslMechanisms()::contains);
        String response = chosen.initialResponse(login.user(), login.accessToken(), connector.endpoint().host(),
                connector.endpoint().port());
        BearerExchange exchange = BearerExchange.start(chosen, response, line -> {
            sendContinuation(line);
            flush();
        }, pending.handler());
        send(exchange.command(), new PendingCommand(pending.name(), false, pending.barrier(), exchange));
    }

    private void await(PendingCommand pending) {
        replies.add(pending);
        unframed.addLast(pending);
    }

    /** An RFC 5034 SASL response: the client's line, as it sent it. */
    @Override
    public void sendContinuation(String line) {
        ByteBuf buf = channel.alloc().buffer(line.length() + 2);
        buf.writeCharSequence(line, StandardCharsets.ISO_8859_1);
        buf.writeByte('\r').writeByte('\n');
        channel.write(buf, channel.voidPromise());
    }

    @Override
    public void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    @Override
    public void pauseReading() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        if (channel != null && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
            channel.read();
        }
    }

    @Override
    protected void closeConnection() {
        if (channel != null) {
            UpstreamConnector.close(channel);
        }
    }

    /** With filters on, the session numbers the maildrop and asks for messages by the server's numbers. */
    @Override
    public boolean needsMaildrop() {
        return false;
    }

    @Override
    public Mailbox mailbox() {
        return new Pop3Mailbox(this, capabilities.pipelining());
    }

    // ---- the opening handshake

    private void onGreeting(StatusLine greeting) {
        greeted = true;
        if (!greeting.isOk()) {
            fail(UpstreamFailure.UNAVAILABLE, new IllegalStateException("upstream greeting was -ERR"));
            return;
        }
        apopTimestamp = ApopTimestamp.in(greeting.text()).orElse(null);
        xclientInGreeting = greeting.text().regionMatches(true, 0, XCLIENT_CODE, 0, XCLIENT_CODE.length());
        if (connector.endpoint().scheme() == UpstreamScheme.POP3_STLS) {
            send(Pop3Command.of(Pop3Verb.STLS), new PendingCommand("STLS", false, true, this::onStlsReply));
        } else {
            requestCapabilities();
        }
        flush();
    }

    private void onStlsReply(StatusLine reply) {
        if (!reply.isOk()) {
            fail(UpstreamFailure.UNAVAILABLE, new UpstreamProblemException(UpstreamProblem.tlsNotOffered(connector.endpoint())));
            return;
        }
        // Whatever the server sent after +OK and before the handshake is not trusted.
        decoder.discardBufferedInput();
        SslHandler handler = connector.endpoint().newTlsHandler(channel.alloc());
        SessionLogScope.addFirst(channel.pipeline(), UpstreamConnector.TLS_HANDLER, handler);
        handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                requestCapabilities();
                flush();
            }
        });
    }

    private void requestCapabilities() {
        send(Pop3Command.of(Pop3Verb.CAPA), new PendingCommand("CAPA", true, true, new CapabilityCollector()));
    }

    /** Collects the upstream's CAPA reply; the session is ready when it ends. */
    private final class CapabilityCollector implements ReplyHandler {
        private final CapaBody body = new CapaBody();

        @Override
        public void onStatus(StatusLine status) {
            if (!status.isOk()) {
                ready(UpstreamCapabilities.none());
            }
        }

        @Override
        public void onContent(ContentChunk chunk) {
            body.append(chunk);
        }

        @Override
        public void onEnd() {
            ready(new UpstreamCapabilities(body.lines()));
        }
    }

    private void ready(UpstreamCapabilities offered) {
        capabilities = offered;
        tls = NegotiatedTls.of(channel.pipeline().get(SslHandler.class));
        log.debug("[{}] upstream ready, capabilities {}", sessionId, LogText.of(offered.lines()));
        if (connector.endpoint().forwarding().inProtocol() && client != null) {
            if (xclientInGreeting || offered.has("XCLIENT")) {
                forwardClient();
                return;
            }
            connector.forwardingWarning().report(log, sessionId, url(),
                    "offers no XCLIENT, in its greeting or CAPA (Dovecot: login_trusted_networks)");
        }
        handshakeDone(apopTimestamp, offered);
    }

    /**
     * Dovecot's POP3 XCLIENT, before the login: ADDR and PORT of the real client, which the
     * server then logs, limits and authenticates as (Dovecot's pop3-login, for peers in its
     * login_trusted_networks). A refusal is logged and the session goes on as popbridge's.
     */
    private void forwardClient() {
        String address = client.getAddress() == null ? client.getHostString() : NetUtil.toAddressString(client.getAddress());
        send(new Pop3Command("XCLIENT ADDR=" + address + " PORT=" + client.getPort()),
                new PendingCommand("XCLIENT", false, true, reply -> {
                    if (!reply.isOk()) {
                        log.warn("[{}] {} refused XCLIENT: {}", sessionId, url(), reply.text());
                    }
                    handshakeDone(apopTimestamp, capabilities);
                }));
        flush();
    }

    /** Tells the reply decoder, from the commands sent, whether the reply it reads has a body. */
    private final class Framing implements ReplyFraming {
        @Override
        public boolean awaitingReply() {
            return !unframed.isEmpty();
        }

        @Override
        public boolean isMultiline(StatusLine.Status status) {
            return status == StatusLine.Status.OK && unframed.peekFirst().multilineOnOk();
        }

        @Override
        public boolean bodyAsSent() {
            return unframed.peekFirst().handler().takesBodyAsSent();
        }

        @Override
        public void replyComplete() {
            unframed.pollFirst();
        }
    }

    /** Puts each decoded reply piece in the queue, which hands it to the command it answers. */
    private final class RepliesIn extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed()) {
                ReferenceCountUtil.release(msg);
            } else if (msg instanceof StatusLine status) {
                replies.status(status);
            } else if (msg instanceof ContentChunk chunk) {
                replies.content(chunk);
            } else {
                replies.end();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readsDone();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                // A failed or timed-out handshake closes the connection next; this says why.
                fail(UpstreamFailure.UNAVAILABLE, handshake.cause());
            } else if (event instanceof IdleStateEvent && awaitingReplies() && ctx.channel().config().isAutoRead()) {
                fail(UpstreamFailure.TIMED_OUT, greeted || connector.endpoint().scheme().implicitTls()
                        ? new IllegalStateException("no reply within the reply timeout")
                        // Silence from the first byte on a plain connection: most likely a TLS port.
                        : new UpstreamProblemException(UpstreamProblem.plainOnTlsPort(connector.endpoint())));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(UpstreamFailure.LOST, new IllegalStateException("upstream closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause instanceof DecoderException && !(cause.getCause() instanceof SSLException)
                    ? UpstreamFailure.PROTOCOL : UpstreamFailure.LOST, cause);
        }
    }
}
