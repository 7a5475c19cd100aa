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
        around(ctx, Event.INACTIVE, null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        around(ctx, Event.READ, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        around(ctx, Event.READ_COMPLETE, null);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        around(ctx, Event.USER_EVENT, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        around(ctx, Event.WRITABILITY_CHANGED, null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        around(ctx, Event.EXCEPTION, cause);
    }

    /**
     * Passes the event on in the channel's session scope. Named by an enum, not a lambda: two
     * scopes on each of two channels see every read, and a captured lambda is an allocation each.
     */
    private static void around(ChannelHandlerContext ctx, Event event, Object argument) {
        SessionLog log = SessionLog.of(ctx.channel());
        if (log == null || SessionLog.current() == log) {
            // No session, or already in its scope (the inner scope, a hop within the session).
            event.fire(ctx, argument);
            return;
        }
        SessionLog previous = log.enter();
        try {
            event.fire(ctx, argument);
        } finally {
            SessionLog.leave(previous);
        }
    }

    /** The inbound events a scope passes on, each with its one argument if it has one. */
    private enum Event {
        INACTIVE, READ, READ_COMPLETE, USER_EVENT, WRITABILITY_CHANGED, EXCEPTION;

        void fire(ChannelHandlerContext ctx, Object argument) {
            switch (this) {
                case INACTIVE -> ctx.fireChannelInactive();
                case READ -> ctx.fireChannelRead(argument);
                case READ_COMPLETE -> ctx.fireChannelReadComplete();
                case USER_EVENT -> ctx.fireUserEventTriggered(argument);
                case WRITABILITY_CHANGED -> ctx.fireChannelWritabilityChanged();
                case EXCEPTION -> ctx.fireExceptionCaught((Throwable) argument);
            }
        }
    }
}
