import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.popbridge.proxy.core.transport.NettyProperties;

/**
 * The least a netty proxy does, as a reference for bench/run-nginx.sh: octets from each socket
 * to the other and nothing else, no POP3 read at all (netty's HexDumpProxy example, without the
 * dump). It runs as popbridge does where it matters to the cost of a hop: netty's epoll
 * transport, one worker loop per core, a client's upstream channel on the client's own loop,
 * TCP_NODELAY on both legs, and the netty settings popbridge chooses (no leak detector, large
 * buffers pooled: NettyProperties, from popbridge's jar). Each side reads its next chunk once
 * the last one is written, so a slow reader holds one chunk, not the message.
 *
 * <pre>java -cp popbridge.jar bench/NettyRelay.java LISTEN_PORT UPSTREAM_PORT</pre>
 *
 * Listens on 127.0.0.1:LISTEN_PORT and connects each client to 127.0.0.1:UPSTREAM_PORT; prints
 * "relaying on PORT" once it listens, and runs until it is killed.
 */
public final class NettyRelay {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp popbridge.jar NettyRelay.java LISTEN_PORT UPSTREAM_PORT");
            System.exit(2);
        }
        // Before netty reads them, as popbridge's main sets them.
        NettyProperties.setDefaults(System.getProperties());
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("netty's epoll transport does not load here", Epoll.unavailabilityCause());
        }
        int listenPort = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
        new ServerBootstrap()
                .group(acceptor, workers)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline().addLast(new ClientSide(upstreamPort));
                    }
                })
                .bind("127.0.0.1", listenPort).sync();
        System.out.println("relaying on " + listenPort);
        Thread.currentThread().join();
    }

    /** The client's connection: opens the upstream one on its own loop, then relays both ways. */
    private static final class ClientSide extends ChannelInboundHandlerAdapter {

        private final int upstreamPort;
        private Channel upstream;

        ClientSide(int upstreamPort) {
            this.upstreamPort = upstreamPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            ChannelFuture connected = new Bootstrap()
                    .group(client.eventLoop())
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Relay(client))
                    .connect("127.0.0.1", upstreamPort);
            upstream = connected.channel();
            connected.addListener((ChannelFutureListener) done -> {
                if (done.isSuccess()) {
                    // The server speaks first (the greeting): both sides start reading.
                    upstream.read();
                    client.read();
                } else {
                    client.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(msg, ctx.channel(), upstream);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The upstream connection: what it reads goes to the client. */
    private static final class Relay extends ChannelInboundHandlerAdapter {

        private final Channel client;

        Relay(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(msg, ctx.channel(), client);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes what {@code from} read to {@code to}, and reads on from {@code from} once it is written. */
    private static void relay(Object msg, Channel from, Channel to) {
        if (!to.isActive()) {
            ReferenceCountUtil.release(msg);
            from.close();
            return;
        }
        to.writeAndFlush(msg).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
                from.read();
            } else {
                from.close();
            }
        });
    }
}
