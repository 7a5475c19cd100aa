package org.popbridge.proxy.core.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.popbridge.proxy.core.metrics.Limit;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each client connection against {@link ClientLimits} before its session starts: over
 * a limit the client gets the protocol's temporary refusal and the connection closes, so the
 * session never begins and the mail server never hears of it (invariant 8). It also starts the
 * login clock: {@link LoginDeadline} reaches the session when {@code login-timeout} has passed.
 * It sits behind TLS, so an implicit-TLS client reads its refusal. Being where a session begins
 * and ends for every protocol, it is also where sessions are counted for the metrics.
 */
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** Pipeline name. */
    public static final String NAME = "connection-guard";

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    /** When each refused address was last logged, so a flood costs one line a minute per address. */
    private static final ConcurrentHashMap<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ClientLimits limits;
    private final String listener;
    private final Function<String, String> refusal;
    private final ListenerMeters meters;
    private InetAddress address;
    private boolean admitted;
    private boolean countedPerIp;
    private ScheduledFuture<?> deadline;

    /**
     * @param refusal the protocol's temporary refusal line for a reason, such as
     *     {@code "-ERR [SYS/TEMP] " + reason} or {@code "421 4.7.0 " + reason}
     */
    public ConnectionGuard(ClientLimits limits, String listener, Function<String, String> refusal) {
        this(limits, listener, refusal, ListenerMeters.NONE);
    }

    /** @param meters where admitted sessions and refusals are counted */
    public ConnectionGuard(ClientLimits limits, String listener, Function<String, String> refusal,
                           ListenerMeters meters) {
        this.limits = limits;
        this.listener = listener;
        this.refusal = refusal;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        address = ClientAddress.ip(ctx.channel());
        countedPerIp = !limits.exempt(address);
        ClientLimits.Admission admission = limits.counters().admit(address, limits.connections(),
                countedPerIp ? limits.connectionsPerIp() : -1);
        if (admission != ClientLimits.Admission.ADMITTED) {
            String reason = admission == ClientLimits.Admission.TOO_MANY
                    ? "Too many connections, try again later" : "Too many connections from your address, try again later";
            meters.limitHit(admission == ClientLimits.Admission.TOO_MANY ? Limit.CONNECTIONS : Limit.CONNECTIONS_PER_IP);
            logRefusal(reason);
            ctx.writeAndFlush(Unpooled.copiedBuffer(refusal.apply(reason) + "\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        admitted = true;
        meters.sessionOpened();
        deadline = ctx.executor().schedule(() -> ctx.fireUserEventTriggered(LoginDeadline.INSTANCE),
                limits.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            deadline.cancel(false);
            limits.counters().leave(address, countedPerIp);
            meters.sessionClosed();
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!admitted) {
            // A refused client's bytes go nowhere.
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void logRefusal(String reason) {
        long now = System.nanoTime();
        Long last = lastLogged.get(address);
        if (last != null && now - last < LOG_EVERY_NANOS) {
            return;
        }
        if (lastLogged.size() > 10_000) {
            lastLogged.clear();
        }
        lastLogged.put(address, now);
        log.info("connection from {} on {} refused: {} (logged once a minute per address)",
                address.getHostAddress(), listener, reason.toLowerCase(java.util.Locale.ROOT));
    }
}
