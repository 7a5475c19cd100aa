package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3ReplyDecoder;
import org.popbridge.proxy.pop3.StatusLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's connection to its POP3 mail server: the opening handshake (greeting, STLS,
 * CAPA), the queue of commands awaiting replies, and reading paused and resumed for
 * backpressure. It never sends QUIT on its own: closing it leaves the maildrop unchanged.
 */
public final class UpstreamLink implements Pop3Upstream {

    private enum Phase { CONNECTING, HANDSHAKE, READY, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);

    private final UpstreamConnector connector;
    private final Pop3Upstream.Listener listener;
    private final String sessionId;
    private final InFlightCommands inFlight = new InFlightCommands();
    private Channel channel;
    private Pop3ReplyDecoder decoder;
    private ReplyDispatcher dispatcher;
    private TlsSummary tls = TlsSummary.NONE;
    private Phase phase = Phase.CONNECTING;
    private boolean headAnswering;
    private String apopTimestamp;
    /** Reply pieces read while a filter decides; replayed in order when it has. */
    private final Deque<Object> suspended = new ArrayDeque<>();
    private boolean dispatchSuspended;

    UpstreamLink(UpstreamConnector connector, Listener listener, String sessionId) {
        this.connector = connector;
        this.listener = listener;
        this.sessionId = sessionId;
    }

    /** Sessions relayed to the POP3 server {@code connector} reaches. */
    public static Pop3Upstream.Factory factory(UpstreamConnector connector) {
        return Pop3Upstream.Factory.of(connector.route().url(),
                (listener, sessionId) -> new UpstreamLink(connector, listener, sessionId));
    }

    @Override
    public String url() {
        return connector.route().url();
    }

    @Override
    public void connect(EventLoop loop) {
        // The greeting is the first reply awaited, before any command is sent.
        inFlight.add(new PendingCommand("greeting", false, true, this::onGreeting));
        ChannelFuture connected = connector.connect(loop, this::addProtocolHandlers);
        channel = connected.channel();
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                fail(UpstreamFailure.UNAVAILABLE, future.cause());
            } else {
                phase = Phase.HANDSHAKE;
                log.debug("[{}] connected to {}", sessionId, connector.route().url());
            }
        });
    }

    private void addProtocolHandlers(ChannelPipeline pipeline) {
        long replyTimeout = connector.route().replyTimeout().toMillis();
        decoder = new Pop3ReplyDecoder(inFlight);
        dispatcher = new ReplyDispatcher();
        pipeline.addLast("reply-timeout", new IdleStateHandler(replyTimeout, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("pop3-reply-decoder", decoder);
        pipeline.addLast("dispatcher", dispatcher);
    }

    /** The TLS the upstream connection got, once ready; none for a plain upstream. */
    @Override
    public TlsSummary tls() {
        return tls;
    }

    @Override
    public boolean ready() {
        return phase == Phase.READY;
    }

    @Override
    public boolean awaitingReplies() {
        return !inFlight.isEmpty();
    }

    @Override
    public boolean barrierPending() {
        return inFlight.barrierPending();
    }

    @Override
    public void send(String line, PendingCommand pending) {
        inFlight.add(pending);
        write(line);
    }

    @Override
    public void sendContinuation(String line) {
        write(line);
    }

    private void write(String line) {
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

    /** Stops reading replies while the client cannot take more (backpressure). */
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

    /**
     * Holds back reply pieces, and stops reading, until {@link #resumeReplies()}: while a filter
     * decides on a message, nothing after it may reach the client. Pieces already read are kept
     * in order; they are at most what one read brought.
     */
    @Override
    public void suspendReplies() {
        dispatchSuspended = true;
        pauseReading();
    }

    /**
     * Hands on the pieces held back, oldest first; a handler may suspend again meanwhile.
     * Returns whether reading may resume (no new suspension); the caller decides, as the
     * client may be unable to take more.
     */
    @Override
    public boolean resumeReplies() {
        dispatchSuspended = false;
        while (!dispatchSuspended && !suspended.isEmpty() && phase != Phase.CLOSED) {
            dispatcher.dispatch(suspended.removeFirst());
        }
        if (dispatchSuspended || phase == Phase.CLOSED) {
            return false;
        }
        listener.upstreamReadComplete();
        return true;
    }

    /** Closes without QUIT, so the upstream does not enter UPDATE and deletes nothing. */
    @Override
    public void close() {
        phase = Phase.CLOSED;
        releaseSuspended();
        if (channel != null) {
            channel.close();
        }
    }

    private void onGreeting(StatusLine greeting) {
        if (!greeting.isOk()) {
            fail(UpstreamFailure.UNAVAILABLE, new IllegalStateException("upstream greeting was -ERR"));
            return;
        }
        apopTimestamp = ApopTimestamp.in(greeting.text()).orElse(null);
        if (connector.route().scheme() == UpstreamScheme.POP3_STLS) {
            send("STLS", new PendingCommand("STLS", false, true, this::onStlsReply));
        } else {
            requestCapabilities();
        }
        flush();
    }

    private void onStlsReply(StatusLine reply) {
        if (!reply.isOk()) {
            fail(UpstreamFailure.UNAVAILABLE, new IllegalStateException("upstream refused STLS"));
            return;
        }
        // Whatever the server sent after +OK and before the handshake is not trusted.
        decoder.discardBufferedInput();
        SslHandler tls = connector.route().newTlsHandler(channel.alloc());
        channel.pipeline().addFirst(UpstreamConnector.TLS_HANDLER, tls);
        tls.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                requestCapabilities();
                flush();
            }
        });
    }

    private void requestCapabilities() {
        CapabilityCollector collector = new CapabilityCollector();
        send("CAPA", new PendingCommand("CAPA", true, true, collector));
    }

    /** Collects the upstream's CAPA reply; the session is ready when it ends. */
    private final class CapabilityCollector implements ReplyHandler {
        private final CapaBody body = new CapaBody();

        @Override
        public void onStatus(StatusLine status) {
            if (!status.isOk()) {
                becomeReady(UpstreamCapabilities.none());
            }
        }

        @Override
        public void onContent(ContentChunk chunk) {
            body.append(chunk);
        }

        @Override
        public void onEnd() {
            becomeReady(new UpstreamCapabilities(body.lines()));
        }
    }

    private void becomeReady(UpstreamCapabilities capabilities) {
        phase = Phase.READY;
        tls = NegotiatedTls.of(channel.pipeline().get(SslHandler.class));
        log.debug("[{}] upstream ready, capabilities {}", sessionId, capabilities.lines());
        listener.upstreamReady(apopTimestamp, capabilities);
    }

    private void fail(UpstreamFailure failure, Throwable cause) {
        if (phase == Phase.CLOSED) {
            return;
        }
        UpstreamFailure reported = phase == Phase.READY ? failure : UpstreamFailure.UNAVAILABLE;
        phase = Phase.CLOSED;
        releaseSuspended();
        boolean midReply = headAnswering;
        if (channel != null) {
            channel.close();
        }
        listener.upstreamFailed(reported, midReply, cause);
    }

    private void releaseSuspended() {
        while (!suspended.isEmpty()) {
            io.netty.util.ReferenceCountUtil.release(suspended.removeFirst());
        }
    }

    /** Hands each reply piece to the command it answers, oldest first. */
    private final class ReplyDispatcher extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (phase == Phase.CLOSED) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            if (dispatchSuspended) {
                suspended.addLast(msg);
                return;
            }
            dispatch(msg);
        }

        void dispatch(Object msg) {
            PendingCommand head = inFlight.head();
            if (msg instanceof StatusLine status) {
                boolean multiline = status.isOk() && head.multilineOnOk();
                boolean continuation = status.status() == StatusLine.Status.CONTINUATION;
                headAnswering = multiline;
                head.handler().onStatus(status);
                if (!multiline && !continuation) {
                    finishHead();
                }
            } else if (msg instanceof ContentChunk chunk) {
                head.handler().onContent(chunk);
            } else if (msg == EndOfMultiline.INSTANCE) {
                headAnswering = false;
                head.handler().onEnd();
                finishHead();
            }
        }

        private void finishHead() {
            inFlight.removeHead();
            if (phase == Phase.READY) {
                listener.replyFinished();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (dispatchSuspended) {
                return;
            }
            listener.upstreamReadComplete();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && !inFlight.isEmpty() && ctx.channel().config().isAutoRead()) {
                fail(UpstreamFailure.TIMED_OUT, new IllegalStateException("no reply within the reply timeout"));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(UpstreamFailure.LOST, new IllegalStateException("upstream closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause instanceof DecoderException && !(cause.getCause() instanceof javax.net.ssl.SSLException)
                    ? UpstreamFailure.PROTOCOL : UpstreamFailure.LOST, cause);
        }
    }
}
