package org.popbridge.proxy.core.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.proxy.core.transport.AwaitedReplies;
import org.popbridge.proxy.core.transport.Transport;
import org.popbridge.proxy.core.session.SessionLogScope;

/**
 * Opens the connection to the upstream on the client's own event loop, so both halves of a
 * session run on one thread and never need locks.
 */
public final class UpstreamConnector {

    /** Pipeline name of the TLS handler, so STLS or STARTTLS can add it in front of the codec. */
    public static final String TLS_HANDLER = "tls";

    private final UpstreamEndpoint endpoint;
    private final ForwardingWarning forwardingWarning = new ForwardingWarning();
    private final ChannelFactory<? extends Channel> channels;

    /** Channels of the transport of the loop each connection is made on (see {@link Transport#of}). */
    public UpstreamConnector(UpstreamEndpoint endpoint) {
        this(endpoint, null);
    }

    /**
     * With {@code channels} making the channels instead of the loop's own kind: the seam where a test
     * makes creating or registering one fail, as running out of file descriptors does.
     */
    public UpstreamConnector(UpstreamEndpoint endpoint, ChannelFactory<? extends Channel> channels) {
        this.endpoint = endpoint;
        this.channels = channels;
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }

    /** Where sessions to this upstream say, once, that it could not be told their client's address. */
    public ForwardingWarning forwardingWarning() {
        return forwardingWarning;
    }

    /** Connects for a session whose client's address is unknown; see {@link #connect(EventLoop, InetSocketAddress, Consumer)}. */
    public ChannelFuture connect(EventLoop loop, Consumer<ChannelPipeline> protocol) {
        return connect(loop, null, protocol);
    }

    /**
     * Connects; {@code protocol} adds the protocol's handlers, behind TLS for an implicit-TLS
     * scheme, and behind the PROXY header naming {@code client} where the endpoint sends one.
     * The future's listeners always run on {@code loop}, and never before this method returns: a
     * channel that could not be created or registered (no descriptor left, say) fails the future
     * on the next turn of the loop, as a refused connection does. Close the channel with
     * {@link #close(Channel)}, which knows that such a channel has nothing to close.
     */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress client, Consumer<ChannelPipeline> protocol) {
        ProxyHeader header = endpoint.forwarding().proxyHeader();
        // The connection is the session's that asks for it: its lines carry that session's fields.
        SessionLog session = SessionLog.current();
        ChannelFuture attempt = new Bootstrap()
                .group(loop)
                .channelFactory(channels != null ? channels : Transport.of(loop).socketChannels())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) endpoint.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (AwaitedReplies.counted(channel.eventLoop())) {
                            // Counts the connection while it awaits an answer, so its loop busy-polls for it.
                            channel.pipeline().addLast(AwaitedReplies.TRACKER, AwaitedReplies.tracker());
                        }
                        if (session != null) {
                            SessionLogScope.upstreamFront(channel.pipeline(), session);
                        }
                        if (header != ProxyHeader.NONE) {
                            // The header goes first on the wire, before even a TLS ClientHello.
                            ProxyHeaderWriter.install(channel.pipeline(), header, client);
                        }
                        if (endpoint.scheme().implicitTls()) {
                            channel.pipeline().addLast(TLS_HANDLER, endpoint.newTlsHandler(channel.alloc()));
                        }
                        protocol.accept(channel.pipeline());
                        if (session != null) {
                            SessionLogScope.beforeLast(channel.pipeline());
                        }
                    }
                })
                .connect(endpoint.host(), endpoint.port());
        // A channel netty could not create fails on its GlobalEventExecutor, off the session's
        // thread; one it could not register fails at once, inside this call. Either way the
        // session hears of it on its own loop, as of any other failed connect.
        ChannelPromise connected = new DefaultChannelPromise(attempt.channel(), loop);
        // The session's listeners on the future log as the session.
        attempt.addListener(done -> {
            if (done.isSuccess()) {
                inSession(session, connected::setSuccess);
            } else {
                loop.execute(() -> inSession(session, () -> connected.setFailure(done.cause())));
            }
        });
        return connected;
    }

    private static void inSession(SessionLog session, Runnable task) {
        if (session == null) {
            task.run();
        } else {
            session.run(task);
        }
    }

    /**
     * Closes an upstream channel this connector made. One that was never registered holds no
     * descriptor (netty never opened one, or closed it when registration failed), and closing
     * a channel that was never given an event loop throws instead of closing anything.
     */
    public static void close(Channel channel) {
        if (channel.isRegistered()) {
            channel.close();
        }
    }
}
