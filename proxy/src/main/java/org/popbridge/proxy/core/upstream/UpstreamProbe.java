package org.popbridge.proxy.core.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One visit to an upstream that never logs in: connect as sessions do (through the
 * {@link UpstreamConnector}, with the upstream's TLS and timeouts), read the greeting, start TLS
 * where the URL says, ask for the capabilities, then leave. As netty's {@code ProxyHandler} does
 * for its subclasses, this base owns the connection, the reply timeout, TLS and the outcome;
 * a protocol's probe supplies its codec and its steps. Each step waits at most the reply
 * timeout (the handshake its own), so a visit always ends.
 */
public abstract class UpstreamProbe {

    private final UpstreamConnector connector;
    private final CompletableFuture<ProbeReport> report = new CompletableFuture<>();
    private Channel channel;
    /** The step awaited, as the sentences say it: "the greeting", "STLS", "EHLO". */
    private String step = "the greeting";
    private boolean heardFrom;

    protected UpstreamProbe(UpstreamConnector connector) {
        this.connector = connector;
    }

    /** Visits the upstream from {@code loop}; the report always comes, never an exception. */
    public final CompletableFuture<ProbeReport> run(EventLoop loop) {
        loop.execute(() -> {
            ChannelFuture connected = connector.connect(loop, this::addHandlers);
            channel = connected.channel();
            connected.addListener(done -> {
                if (!done.isSuccess()) {
                    fail(done.cause());
                }
            });
        });
        return report;
    }

    protected final UpstreamEndpoint endpoint() {
        return connector.endpoint();
    }

    /** The connection, for what a command says of this end (SMTP's EHLO names its address). */
    protected final Channel channel() {
        return channel;
    }

    /** Adds the protocol's reply decoder and command encoder. */
    protected abstract void addCodec(ChannelPipeline pipeline);

    /** A decoded reply to the step awaited; it is released after this returns. */
    protected abstract void onReply(Object reply);

    /** Sends a command of the opening; {@code step} names it in a sentence if no good answer comes. */
    protected final void send(Object command, String step) {
        this.step = step;
        channel.writeAndFlush(command, channel.voidPromise());
    }

    /**
     * After the server's yes to STLS or STARTTLS: TLS in front of the codec, whose buffered
     * input the caller has dropped; {@code then} runs once the handshake succeeded.
     */
    protected final void startTls(Runnable then) {
        SslHandler tls = endpoint().newTlsHandler(channel.alloc());
        channel.pipeline().addFirst(UpstreamConnector.TLS_HANDLER, tls);
        tls.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                then.run();
            }
        });
    }

    /** Every step answered: the report says what TLS the link got; {@code goodbye} (QUIT), if any, is sent on the way out. */
    protected final void succeed(Object goodbye) {
        if (report.complete(ProbeReport.ok(endpoint(), PeerTls.of(channel.pipeline().get(SslHandler.class))))) {
            if (goodbye == null) {
                UpstreamConnector.close(channel);
            } else {
                channel.writeAndFlush(goodbye).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    protected final void fail(UpstreamProblem problem) {
        if (report.complete(ProbeReport.failed(endpoint(), problem)) && channel != null) {
            UpstreamConnector.close(channel);
        }
    }

    private void fail(Throwable cause) {
        fail(UpstreamDiagnosis.of(endpoint(), cause).orElseGet(() -> UpstreamProblem.unexpectedReply(endpoint(), step,
                innermost(cause))));
    }

    /** What a reply that broke the codec was, as the decoder's own exception says. */
    private static String innermost(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private void addHandlers(ChannelPipeline pipeline) {
        pipeline.addLast("reply-timeout", new IdleStateHandler(endpoint().replyTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        addCodec(pipeline);
        pipeline.addLast("probe", new Replies());
    }

    /** Hands replies to the probe's steps and turns every other end of the visit into a report. */
    private final class Replies extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                heardFrom = true;
                if (!report.isDone()) {
                    onReply(msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                fail(handshake.cause());
            } else if (event instanceof IdleStateEvent && !handshaking(ctx)) {
                // A plain connection on which nothing at all came: the server waits for a ClientHello.
                fail(!heardFrom && !endpoint().scheme().implicitTls() ? UpstreamProblem.plainOnTlsPort(endpoint())
                        : UpstreamProblem.noReply(endpoint(), step));
            }
            ctx.fireUserEventTriggered(event);
        }

        /** While a handshake runs, its own timeout decides. */
        private boolean handshaking(ChannelHandlerContext ctx) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            return tls != null && !tls.handshakeFuture().isDone();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(UpstreamProblem.closed(endpoint(), step));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
        }
    }
}
