package org.popbridge.proxy.core.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Puts a channel's {@link SessionLog} fields in the MDC around every inbound event that passes
 * it, and puts back what was there after. A pipeline has it twice: first, so everything the
 * socket brings (reads, TLS, the PROXY header, the close) is in scope; and just before the
 * handler that logs, so that events fired from the middle of the pipeline (idle and reply
 * timers, the login deadline) are too. Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class SessionLogScope extends ChannelInboundHandlerAdapter {

    /** Pipeline names of the two places. */
    public static final String FRONT = "session-log";
    public static final String INNER = "session-log-inner";

    private static final SessionLogScope INSTANCE = new SessionLogScope();

    private SessionLogScope() {
    }

    /** Gives a client connection its session log, and the scope at the front of its pipeline. */
    public static void front(ChannelPipeline pipeline, String listener) {
        SessionLog.attach(pipeline.channel(), listener);
        pipeline.addFirst(FRONT, INSTANCE);
    }

    /**
     * An upstream connection of the session current now, if any: the same fields, the scope at
     * the front; {@link #inner} once its handlers are in place.
     */
    public static void upstreamFront(ChannelPipeline pipeline, SessionLog session) {
        session.attachTo(pipeline.channel());
        pipeline.addFirst(FRONT, INSTANCE);
    }

    /** The scope at the end of the pipeline as it is now, where the handler that logs will be added next. */
    public static void inner(ChannelPipeline pipeline) {
        pipeline.addLast(INNER, INSTANCE);
    }

    /** The scope just before the pipeline's last handler (an upstream's, whose protocol added it). */
    public static void beforeLast(ChannelPipeline pipeline) {
        ChannelHandlerContext last = pipeline.lastContext();
        if (last != null && last.handler() != INSTANCE) {
            pipeline.addBefore(last.name(), INNER, INSTANCE);
        }
    }

    /**
     * Adds {@code handler} as the first that sees the socket's octets, behind the front scope
     * where there is one: TLS started by STLS or STARTTLS, whose handshake listeners then run
     * in the session's scope as well.
     */
    public static void addFirst(ChannelPipeline pipeline, String name, ChannelHandler handler) {
        if (pipeline.get(FRONT) == INSTANCE) {
            pipeline.addAfter(FRONT, name, handler);
        } else {
            pipeline.addFirst(name, handler);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SessionLog log = SessionLog.of(ctx.channel());
        if (log == null) {
            ctx.fireChannelActive();
            return;
        }
        SessionLog previous = log.enter();
        try {
            if (ctx.name().equals(INNER)) {
                // Behind a PROXY gate the session starts only now, where the real client is known.
                log.refreshClient();
            }
            ctx.fireChannelActive();
        } finally {
            SessionLog.leave(previous);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        around(ctx, ctx::fireChannelInactive);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        around(ctx, () -> ctx.fireChannelRead(msg));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        around(ctx, ctx::fireChannelReadComplete);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        around(ctx, () -> ctx.fireUserEventTriggered(event));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        around(ctx, ctx::fireChannelWritabilityChanged);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        around(ctx, () -> ctx.fireExceptionCaught(cause));
    }

    private static void around(ChannelHandlerContext ctx, Runnable event) {
        SessionLog log = SessionLog.of(ctx.channel());
        if (log == null) {
            event.run();
        } else {
            log.run(event);
        }
    }
}
