package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.popbridge.proxy.core.session.ClearLogins;
import org.popbridge.proxy.core.session.ListenerSettings;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.SubmissionOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.smtp.session.AnnouncedExtensions;
import org.popbridge.proxy.smtp.session.SmtpSettings;
import org.popbridge.proxy.testing.ConnectionEnd;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.upstream.imap.ImapUpstream;
import org.popbridge.proxy.upstream.pop3.Pop3Relay;
import org.popbridge.proxy.upstream.smtp.SubmissionRelay;

/**
 * Invariant 8's "never a silent hang" when the upstream channel cannot even be made, as when
 * the process has run out of file descriptors: the client still gets its temporary error at
 * once, as for a server that cannot be reached, and a POP3 client's connection is closed. The
 * real client pipelines serve the listener; only the connector's channels fail.
 */
class UpstreamChannelFailureTest {

    /** How making the upstream channel fails. */
    enum Failure {
        /** NioSocketChannel's own failure when socket() returns EMFILE. */
        CREATION {
            @Override
            Channel newChannel() {
                throw new ChannelException("Failed to open a socket.", new SocketException("Too many open files"));
            }
        },
        /** A channel the NIO event loop refuses to register. */
        REGISTRATION {
            @Override
            Channel newChannel() {
                return new LocalChannel();
            }
        };

        abstract Channel newChannel();
    }

    /** Long enough that a session that waits for it has plainly hung; short enough to fail fast. */
    private static final Duration IDLE = Duration.ofSeconds(5);

    private EventLoopGroup group;
    private ChannelGroup sessions;
    private Channel listener;
    private LogCapture nettyLogs;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        sessions = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        nettyLogs = LogCapture.of("io.netty");
    }

    @AfterEach
    void stop() throws Exception {
        nettyLogs.close();
        if (listener != null) {
            listener.close().sync();
        }
        sessions.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aPop3ClientGetsItsTemporaryErrorAndIsClosed(Failure failure) throws Exception {
        int port = listen(new ClientChannelInitializer(settings(), null, Pop3Relay.factory(connector(failure, UpstreamScheme.POP3)),
                sessions, null));
        assertTemporaryErrorThenClose(port);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aPop3ClientOverImapGetsItsTemporaryErrorAndIsClosed(Failure failure) throws Exception {
        int port = listen(new ClientChannelInitializer(settings(), null,
                ImapUpstream.factory(connector(failure, UpstreamScheme.IMAP), ImapOptions.defaults()), sessions, null));
        assertTemporaryErrorThenClose(port);
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void anSmtpClientGetsATemporaryAuthFailure(Failure failure) throws Exception {
        SmtpSettings smtp = new SmtpSettings("popbridge.test", 10_000_000, new AnnouncedExtensions());
        int port = listen(new SmtpChannelInitializer(settings(), null, smtp,
                SubmissionRelay.factory(connector(failure, UpstreamScheme.SMTP), SubmissionOptions.defaults()), sessions));
        try (RawSmtpClient client = RawSmtpClient.plain(port)) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.US_ASCII));
            // As for a server that cannot be reached: the login fails for now, the client may try again.
            assertThat(client.command("AUTH PLAIN " + plain)).startsWith("454 4.7.0");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
        assertNothingEscaped();
    }

    private void assertTemporaryErrorThenClose(int port) throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(port)) {
            assertThat(client.readLine()).isEqualTo("-ERR [SYS/TEMP] Mail server unavailable, try again later");
            assertThat(ConnectionEnd.linesUntilClosed(client)).as("nothing more; the connection is closed").isEmpty();
        }
        assertNothingEscaped();
    }

    /** Netty logs what a future's listener threw; nothing may have been thrown on the way to the client's error. */
    private void assertNothingEscaped() {
        assertThat(nettyLogs.events()).as("exceptions netty caught and logged")
                .filteredOn(event -> event.getThrowableProxy() != null)
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static ListenerSettings settings() {
        SessionLimits limits = new SessionLimits(255, 8192, 10, IDLE, 64);
        return new ListenerSettings("pop3://127.0.0.1:0", false, null, ClearLogins.ALL, limits);
    }

    private static UpstreamConnector connector(Failure failure, UpstreamScheme scheme) {
        Duration timeout = Duration.ofSeconds(5);
        UpstreamEndpoint endpoint = new UpstreamEndpoint(scheme, "127.0.0.1", 9, null, timeout, timeout, timeout);
        ChannelFactory<Channel> channels = failure::newChannel;
        return new UpstreamConnector(endpoint, channels);
    }

    private int listen(ChannelInitializer<SocketChannel> pipeline) throws InterruptedException {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(pipeline)
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }
}
