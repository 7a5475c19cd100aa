package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.TestCertificates;

/** The route table a server builds from its config: connectors, TLS per upstream, the start-up log. */
class RouteTablesTest {

    private static final String CLOSED = "(closed before a greeting)";

    @TempDir
    Path dir;

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private PopbridgeConfig load(String yaml) throws Exception {
        return new ConfigLoader().load(Files.writeString(dir.resolve("popbridge.yaml"), yaml));
    }

    @Test
    void eachRouteReachesItsUpstreamWithItsOwnTlsSettings() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        Path ca = pki.writeCa(dir.resolve("branch-ca.pem"));
        try (TlsGreeter imap = new TlsGreeter(pki.serverContext("localhost"), "* OK IMAP4rev1 ready");
                TlsGreeter pop3 = new TlsGreeter(pki.serverContext("localhost"), "+OK POP3 ready");
                LogCapture log = LogCapture.of(RouteTables.class)) {
            RouteTable table = RouteTables.build(load("""
                    upstream: pop3://127.0.0.1:1110
                    routes:
                      - match: "*@branch.example.com"
                        strip-domain: true
                        upstream:
                          url: imaps://localhost:%1$d
                          ca: %3$s
                          folder: Scans
                      - match: boss@branch.example.com
                        upstream:
                          url: imaps://localhost:%1$d
                          ca: %3$s
                          without-uidplus: move
                          move-to: Trash
                      - match: accounts
                        add-domain: example.com
                        upstream:
                          url: pop3s://localhost:%2$d
                          ca: %3$s
                      - match: visitor
                        upstream: pop3s://localhost:%2$d
                    """.formatted(imap.port(), pop3.port(), ca)));

            Route branch = table.forUser("clerk@Branch.Example.com").orElseThrow();
            Route boss = table.forUser("boss@branch.example.com").orElseThrow();
            Route accounts = table.forUser("accounts").orElseThrow();
            Route visitor = table.forUser("visitor").orElseThrow();
            assertThat(greeting(branch.connector())).isEqualTo("* OK IMAP4rev1 ready");
            assertThat(greeting(accounts.connector())).isEqualTo("+OK POP3 ready");
            // Same server, but this route's upstream has no ca: the private CA is not trusted for it.
            assertThat(greeting(visitor.connector())).isEqualTo(CLOSED);

            assertThat(branch.rewrite().apply("clerk@branch.example.com")).isEqualTo("clerk");
            assertThat(accounts.rewrite().apply("accounts")).isEqualTo("accounts@example.com");
            assertThat(branch.imap()).isEqualTo(new ImapOptions("Scans", true, CommitFallback.flagOnly()));
            assertThat(boss.imap()).isEqualTo(new ImapOptions("INBOX", true, CommitFallback.moveTo("Trash")));
            assertThat(boss.connector()).as("one connector per upstream, whatever the folder").isSameAs(branch.connector());
            assertThat(accounts.connector()).isNotSameAs(visitor.connector());
            assertThat(accounts.translatesToImap()).isFalse();

            Route fallback = table.forUser("someone@example.net").orElseThrow();
            assertThat(fallback.connector().endpoint().url()).isEqualTo("pop3://127.0.0.1:1110");
            assertThat(fallback.rewrite()).isEqualTo(UserRewrite.keep());
            assertThat(table.byUser()).isTrue();

            assertThat(log.events()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage).contains(
                    org.assertj.core.groups.Tuple.tuple(Level.WARN, "upstream pop3://127.0.0.1:1110 is plain POP3: "
                            + "passwords and mail cross the network unencrypted"),
                    org.assertj.core.groups.Tuple.tuple(Level.INFO, "route *@branch.example.com -> imaps://localhost:"
                            + imap.port() + ", user name strip-domain"),
                    org.assertj.core.groups.Tuple.tuple(Level.INFO, "route * -> pop3://127.0.0.1:1110"));
            assertThat(log.events()).filteredOn(e -> e.getFormattedMessage().startsWith("upstream TLS: "))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .hasSize(3)
                    .allSatisfy(line -> assertThat(line).contains("TLSv1.3, TLSv1.2", "chain and host name verified"))
                    .anySatisfy(line -> assertThat(line).endsWith("(imaps://localhost:" + imap.port() + ")"));
        }
    }

    @Test
    void aLoneTopLevelUpstreamIsOneRouteForEveryone() throws Exception {
        RouteTable table = RouteTables.build(PopbridgeConfig.defaults()
                .withUpstream(UpstreamConfig.parse("imap://127.0.0.1:1143")));

        assertThat(table.byUser()).isFalse();
        assertThat(table.only().connector().endpoint().url()).isEqualTo("imap://127.0.0.1:1143");
        assertThat(table.only().imap()).isEqualTo(ImapOptions.defaults());
    }

    @Test
    void routesWithoutADefaultRefuseEveryoneElse() throws Exception {
        try (LogCapture log = LogCapture.of(RouteTables.class)) {
            RouteTable table = RouteTables.build(load("""
                    routes:
                      - match: "*@example.com"
                        upstream: pop3://127.0.0.1:1110
                    """));

            assertThat(table.forUser("alice@example.com")).isPresent();
            assertThat(table.forUser("alice@example.org")).isEmpty();
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("no default route: users no route takes are refused at login");
        }
    }

    @Test
    void aStarRouteWithARewriteIsTheDefault() throws Exception {
        RouteTable table = RouteTables.build(load("""
                routes:
                  - match: "*"
                    add-domain: example.com
                    upstream: imap://127.0.0.1:1143
                """));

        assertThat(table.byUser()).isTrue();
        assertThat(table.defaultRoute()).isPresent();
        assertThat(table.forUser("alice").orElseThrow().rewrite().apply("alice")).isEqualTo("alice@example.com");
    }

    @Test
    void plainAndUnverifiedUpstreamsAreWarnedAbout() throws Exception {
        try (LogCapture log = LogCapture.of(RouteTables.class)) {
            RouteTables.build(load("""
                    upstream:
                      url: imaps://imap.example.com
                      insecure: true
                    routes:
                      - match: alice
                        upstream: imap://127.0.0.1:1143
                    """));

            assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactlyInAnyOrder(
                            "upstream imaps://imap.example.com:993: certificate and host name verification are OFF "
                                    + "(insecure: true); anyone on the path can read and change the mail",
                            "upstream imap://127.0.0.1:1143 is plain IMAP: passwords and mail cross the network "
                                    + "unencrypted");
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith("upstream TLS: ").contains("NOT verified"));
        }
    }

    @Test
    void aMissingCaFileNamesTheUpstreamAndTheFile() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        PopbridgeConfig config = load("""
                upstream: pop3://127.0.0.1:1110
                routes:
                  - match: alice
                    upstream:
                      url: pop3s://pop.example.com
                      ca: %s
                """.formatted(missing));

        assertThatThrownBy(() -> RouteTables.build(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upstream TLS for pop3s://pop.example.com:995: ")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsRefused() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        PopbridgeConfig config = PopbridgeConfig.defaults()
                .withUpstream(UpstreamConfig.parse("imaps://imap.example.com").withCa(notPem));

        assertThatThrownBy(() -> RouteTables.build(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upstream TLS for imaps://imap.example.com:993: ");
    }

    @Test
    void noUpstreamAndNoRoutesIsTheNoUpstreamError() {
        assertThatThrownBy(() -> RouteTables.build(PopbridgeConfig.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no upstream: give --upstream URL or upstream.url in the config file");
    }

    /** The first line the upstream sends through {@code connector}, or {@link #CLOSED} if the link failed first. */
    private String greeting(UpstreamConnector connector) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        Channel channel = connector.connect(loop.next(), pipeline -> pipeline.addLast(
                new LineBasedFrameDecoder(1024),
                new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
                        first.complete(line.toString(StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        first.complete(CLOSED);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                })).sync().channel();
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            channel.close().sync();
        }
    }

    /** A TLS server that sends one line to each client that completes the handshake. */
    private static final class TlsGreeter implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;

        TlsGreeter(SSLContext context, String greeting) throws IOException {
            server = context.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(greeting), "tls-greeter");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(String greeting) {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    ((SSLSocket) socket).startHandshake();
                    OutputStream out = socket.getOutputStream();
                    out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.setSoTimeout(5000);
                    // Wait for the client to hang up, so the greeting is not cut off by our close.
                    while (socket.getInputStream().read() >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // a client that refused our certificate, or the server closing: the test sees the outcome
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2000);
        }
    }
}
