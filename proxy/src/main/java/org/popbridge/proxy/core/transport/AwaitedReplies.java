package org.popbridge.proxy.core.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * How many upstream connections on this event loop have sent something and not yet heard back:
 * what tells {@link BusyPoll} that an event is coming soon. A server answers a forwarded command
 * within tens of microseconds, so a loop that awaits an answer spins for it; a loop that has
 * only passed a reply on to its client waits for the client's next command, which may come in a
 * millisecond or an hour, and sleeps at once. Kept per loop thread, touched only from it.
 * Only loops that busy-poll count: elsewhere the count would be one more handler on every read
 * and flush of every upstream channel, for nobody.
 */
public final class AwaitedReplies {

    /** The tracker's name in a pipeline. */
    public static final String TRACKER = "awaited-replies";

    /** The worker groups whose loops busy-poll (weakly held: a group that is gone counts for nothing). */
    private static final Set<EventLoopGroup> BUSY_POLLING =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private static final FastThreadLocal<AwaitedReplies> OF_THIS_LOOP = new FastThreadLocal<>() {
        @Override
        protected AwaitedReplies initialValue() {
            return new AwaitedReplies();
        }
    };

    private int awaited;

    private AwaitedReplies() {
    }

    /** The count of the loop whose thread calls. */
    static AwaitedReplies ofThisLoop() {
        return OF_THIS_LOOP.get();
    }

    boolean any() {
        return awaited > 0;
    }

    /** The loops of {@code group} busy-poll: their upstream channels are to be counted. */
    static void countFor(EventLoopGroup group) {
        BUSY_POLLING.add(group);
    }

    /** Whether {@code loop} busy-polls, so that an upstream channel on it needs a {@link #tracker()}. */
    public static boolean counted(EventLoop loop) {
        return BUSY_POLLING.contains(loop.parent());
    }

    /** A handler for one upstream channel's pipeline that counts it from its flush until its next read. */
    public static ChannelDuplexHandler tracker() {
        return new Tracker();
    }

    /** One channel's part in the count: at most one, however many flushes precede the answer. */
    private static final class Tracker extends ChannelDuplexHandler {

        private AwaitedReplies loop;
        private boolean awaiting;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Called on the channel's loop once it is registered, so this is that loop's count.
            loop = ofThisLoop();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!awaiting) {
                awaiting = true;
                loop.awaited++;
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            answered();
            ctx.fireChannelRead(message);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answered();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            answered();
        }

        private void answered() {
            if (awaiting) {
                awaiting = false;
                loop.awaited--;
            }
        }
    }
}
