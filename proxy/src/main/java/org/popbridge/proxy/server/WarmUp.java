package org.popbridge.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.popbridge.proxy.config.LimitsConfig;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.transport.EventLoops;
import org.popbridge.proxy.metrics.ProxyMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay code before the listeners are announced, so the JIT has compiled it when the
 * first clients come (a restarted proxy otherwise serves a morning's first fetches from the
 * interpreter, at a tenth of its speed). A private POP3 listener, built as every listener is
 * and on the server's own loops, relays from an in-process scripted server ({@link WarmUpMailbox});
 * a client thread runs a few sessions of RETR and NOOP through it for at most {@link #TIME_CAP}.
 * It never connects anywhere else, counts in none of the process's meters or client limits,
 * and logs one line. It is an optimisation: whatever goes wrong, the start goes on.
 */
final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    /**
     * The sessions stop within this (closing adds little): long enough for ~6,000 RETRs on a quiet
     * 2-core VM, short enough that a start on a busy one is still announced in a few seconds.
     */
    static final Duration TIME_CAP = Duration.ofSeconds(3);
    private static final int SESSIONS = 4;
    private static final int RETRS_PER_SESSION = 1500;
    private static final int SOCKET_TIMEOUT_MILLIS = 2_000;
    /** Its listener's name in the log's "listener" field, by which its session lines are muted. */
    static final String LISTENER = "pop3://127.0.0.1:0";

    private final EventLoops loops;
    private final PopbridgeConfig config;
    private final UpstreamAuths auths;

    WarmUp(EventLoops loops, PopbridgeConfig config, UpstreamAuths auths) {
        this.loops = loops;
        this.config = config;
        this.auths = auths;
    }

    /** Runs the warm-up on a thread of its own and waits for it; never throws but for an interrupt. */
    void run() throws InterruptedException {
        long started = System.nanoTime();
        int[] retrs = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                retrs[0] = relay(started);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "popbridge-warm-up");
        thread.setDaemon(true);
        try (WarmUpLogMute mute = WarmUpLogMute.install(thread, LISTENER)) {
            thread.start();
            thread.join(TIME_CAP.toMillis() + 3 * SOCKET_TIMEOUT_MILLIS + 5_000);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (thread.isAlive()) {
            thread.interrupt();
            log.info("JIT warm-up: did not finish in {} ms, starting without it", millis);
        } else if (failure[0] != null) {
            log.info("JIT warm-up: skipped ({}); starting without it", failure[0].toString());
            log.debug("JIT warm-up failed", failure[0]);
        } else {
            log.info("JIT warm-up: {} RETRs in {} ms", retrs[0], millis);
        }
    }

    /** Opens the scripted server and the private listener, runs the sessions, closes all of it. */
    private int relay(long started) throws Exception {
        ChannelGroup opened = new DefaultChannelGroup("warm-up", GlobalEventExecutor.INSTANCE);
        ChannelGroup sessions = new DefaultChannelGroup("warm-up-sessions", GlobalEventExecutor.INSTANCE);
        Generation generation = null;
        SessionEnds ended = new SessionEnds();
        try {
            Channel mailbox = new ServerBootstrap()
                    .group(loops.acceptors(), loops.workers())
                    .channel(loops.transport().serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            opened.add(channel);
                            channel.pipeline().addLast(new LineBasedFrameDecoder(1024), new WarmUpMailbox());
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            opened.add(mailbox);
            PopbridgeConfig synthetic = synthetic(((InetSocketAddress) mailbox.localAddress()).getPort());
            ProxyMeters meters = new ProxyMeters();
            generation = Generation.build(synthetic, null, synthetic.limits().clients().counters(), sessions, meters,
                    auths);
            ChannelInitializer<SocketChannel> relayed = generation.initializer(0);
            Channel listener = new ServerBootstrap()
                    .group(loops.acceptors(), loops.workers())
                    .channel(loops.transport().serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyServer.CLIENT_WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(relayed);
                            channel.pipeline().addFirst(ended.counter());
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            opened.add(listener);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            long deadline = started + TIME_CAP.toNanos();
            int retrs = 0;
            for (int session = 0; session < SESSIONS && System.nanoTime() < deadline; session++) {
                retrs += session(port, deadline);
            }
            return retrs;
        } finally {
            opened.close().await(5, TimeUnit.SECONDS);
            sessions.close().await(5, TimeUnit.SECONDS);
            // A session logs its end after its channel has closed: wait for it, so the mute still holds.
            ended.await(Duration.ofSeconds(5));
            for (EventExecutor loop : loops.workers()) {
                loop.submit(() -> { }).await(1, TimeUnit.SECONDS);
            }
            if (generation != null) {
                generation.close();
            }
        }
    }

    /**
     * The real config's certificates and state directory (already loaded or created by the real
     * generation), one plain POP3 listener, the scripted server as the only upstream, no filters,
     * no metrics, default limits with counters of its own.
     */
    private PopbridgeConfig synthetic(int mailboxPort) {
        return config.withRoutes(List.of())
                .withSubmission(null)
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + mailboxPort))
                .withListen(List.of(ListenerConfig.parse(LISTENER)))
                .withLimits(LimitsConfig.defaults())
                .withFilters(List.of())
                .withMetrics(null);
    }

    /** One session: login, STAT, LIST, UIDL, RETR and NOOP by turns, the large messages, QUIT. */
    private static int session(int port, long deadline) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
            Pop3Client client = new Pop3Client(new BufferedInputStream(socket.getInputStream(), 64 * 1024),
                    socket.getOutputStream());
            client.status();
            client.multiLine("CAPA");
            client.single("USER warm-up");
            client.single("PASS warm-up");
            client.single("STAT");
            client.multiLine("LIST");
            client.multiLine("UIDL");
            int retrs = 0;
            for (int number = 1; number <= WarmUpMailbox.LARGE; number++) {
                client.multiLine("RETR " + (WarmUpMailbox.SMALL + number));
                retrs++;
            }
            for (int index = 0; index < RETRS_PER_SESSION && System.nanoTime() < deadline; index++) {
                client.multiLine("RETR " + (index % WarmUpMailbox.SMALL + 1));
                client.single("NOOP");
                retrs++;
            }
            client.single("QUIT");
            return retrs;
        }
    }

    /**
     * Counts the warm-up's connections opened and ended: its handler, first in each pipeline,
     * passes the end of the connection on to the session and counts it once the session has
     * handled it (and logged its last line).
     */
    private static final class SessionEnds {

        private final AtomicInteger open = new AtomicInteger();

        ChannelHandler counter() {
            open.incrementAndGet();
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    try {
                        ctx.fireChannelInactive();
                    } finally {
                        open.decrementAndGet();
                    }
                }
            };
        }

        void await(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (open.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }

    /** A blocking POP3 client of the fewest words: it reads each reply to its end and checks "+OK". */
    private record Pop3Client(InputStream in, OutputStream out) {

        void single(String command) throws IOException {
            send(command);
            status();
        }

        void multiLine(String command) throws IOException {
            send(command);
            status();
            while (!line().equals(".")) {
                // the body, read and dropped
            }
        }

        private void send(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void status() throws IOException {
            String line = line();
            if (!line.startsWith("+OK")) {
                throw new IOException("the warm-up's relay answered: " + line);
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int octet;
            while ((octet = in.read()) != '\n') {
                if (octet < 0) {
                    throw new IOException("the warm-up's relay closed the connection");
                }
                if (octet != '\r') {
                    line.append((char) octet);
                }
            }
            return line.toString();
        }
    }
}
