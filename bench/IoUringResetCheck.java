import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Does a netty transport see a mail server die? What popbridge's relay meets when an upstream
 * crashes mid-RETR (TruncationTest): the proxy writes a command, the server answers with part
 * of a reply and then resets the connection (SO_LINGER 0, so an RST rather than a FIN). The
 * channel must read what came and then close (channelInactive); a transport that misses the
 * reset leaves the session hanging until a timeout. Each case runs TRIALS times on 127.0.0.1
 * and prints one Markdown table row: how many times the close was not seen within 3 s, and how
 * many octets such a channel had read. The "POLLIN" column says how io_uring waited for input:
 * netty's multishot poll, or the one-shot poll popbridge sets
 * ({@code -Dio.netty.iouring.pollAddMultishotEnabled=false}, read when io_uring loads).
 *
 * usage: java -cp NETTY-JARS IoUringResetCheck.java TRIALS [header] [io_uring]
 *        (bench/io-uring-reset-check.sh); "header" prints the table's head first, "io_uring"
 *        checks io_uring alone. Exits 1 if any transport missed a close.
 */
public final class IoUringResetCheck {

    private static final byte[] GREETING = "+OK ready\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMAND = "RETR 1\r\n".getBytes(StandardCharsets.US_ASCII);

    private record Transport(String name, Supplier<IoHandlerFactory> handlers, Class<? extends SocketChannel> channel) {}

    private record Case(String name, int replyOctets, boolean reset) {}

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(args[0]);
        java.util.List<String> flags = java.util.Arrays.asList(args).subList(1, args.length);
        Transport epoll = new Transport("epoll", EpollIoHandler::newFactory, EpollSocketChannel.class);
        Transport uring = new Transport("io_uring", IoUringIoHandler::newFactory, IoUringSocketChannel.class);
        Transport[] transports = flags.contains("io_uring") ? new Transport[] {uring} : new Transport[] {epoll, uring};
        String poll = Boolean.parseBoolean(System.getProperty("io.netty.iouring.pollAddMultishotEnabled", "true"))
                ? "multishot (netty's default)" : "one-shot (popbridge's)";
        Case[] cases = {
            new Case("reset after 100 octets", 100, true),
            new Case("reset after 100 KB", 100_000, true),
            new Case("close (FIN) after 100 KB", 100_000, false),
        };
        boolean missed = false;
        if (flags.contains("header")) {
            System.out.println("| transport | POLLIN | the server's end | trials | close not seen within 3 s | octets read by those |");
            System.out.println("|---|---|---|---:|---:|---|");
        }
        for (Transport transport : transports) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.handlers().get());
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                for (Case c : cases) {
                    int lost = 0;
                    StringBuilder octets = new StringBuilder();
                    for (int trial = 0; trial < trials; trial++) {
                        long read = trial(group, transport, server, c);
                        if (read >= 0) {
                            lost++;
                            octets.append(octets.isEmpty() ? "" : ", ").append(read);
                        }
                    }
                    missed |= lost > 0;
                    System.out.printf("| %s | %s | %s | %d | %d | %s |%n", transport.name(),
                            transport == uring ? poll : "", c.name(), trials, lost, octets);
                }
            } finally {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            }
        }
        System.exit(missed ? 1 : 0);
    }

    /** One connection: -1 if the channel closed in time, else the octets it had read. */
    private static long trial(EventLoopGroup group, Transport transport, ServerSocket server, Case c)
            throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicLong read = new AtomicLong();
        Channel channel = new Bootstrap().group(group).channel(transport.channel())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        read.addAndGet(((ByteBuf) message).readableBytes());
                        ((ByteBuf) message).release();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closed.countDown();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close(); // a reset read as an error: closing is the answer
                    }
                })
                .connect(server.getLocalSocketAddress()).sync().channel();
        try (Socket peer = server.accept()) {
            OutputStream out = peer.getOutputStream();
            out.write(GREETING);
            out.flush();
            channel.writeAndFlush(Unpooled.wrappedBuffer(COMMAND)).sync();
            readFully(peer.getInputStream(), COMMAND.length);
            out.write(new byte[c.replyOctets()]);
            out.flush();
            if (c.reset()) {
                peer.setSoLinger(true, 0);
            }
        }
        if (closed.await(3, TimeUnit.SECONDS)) {
            return -1;
        }
        channel.close().sync();
        return read.get();
    }

    private static void readFully(InputStream in, int octets) throws IOException {
        for (int left = octets; left > 0; ) {
            int n = in.read(new byte[left]);
            if (n < 0) {
                throw new IOException("the channel closed before its command arrived");
            }
            left -= n;
        }
    }
}
