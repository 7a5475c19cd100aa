package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * After its listeners are bound, a starting proxy visits its upstreams in the background and
 * says each problem once at WARN: the start neither waits for the visits nor fails by them.
 */
class UpstreamCheckAtStartTest {

    @TempDir
    Path dir;

    /** Accepts connections and says nothing until told to hang up: a server that keeps a visit waiting. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final CountDownLatch connected = new CountDownLatch(1);

        SilentServer() throws IOException {
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                        connected.countDown();
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            }, "silent-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        void hangUp() throws IOException {
            for (Socket connection : accepted) {
                connection.close();
            }
        }

        @Override
        public void close() throws IOException {
            hangUp();
            socket.close();
        }
    }

    private static boolean isProbeWarning(ILoggingEvent event) {
        return event.getLevel() == Level.WARN && event.getLoggerName().equals(UpstreamProbes.class.getName());
    }

    @Test
    void aStartDoesNotWaitForTheVisitsAndEachProblemIsSaidOnce() throws Exception {
        try (SilentServer upstream = new SilentServer();
                ScriptedSmtpServer submission = new ScriptedSmtpServer("alice", "secret");
                LogCapture logs = LogCapture.of("org.popbridge.proxy.server")) {
            // The one silent upstream is the default and a route's: one URL, so one visit and one warning.
            PopbridgeConfig config = new ConfigLoader().load(Files.writeString(dir.resolve("popbridge.yaml"), """
                    listen: [pop3://127.0.0.1:0, smtp://127.0.0.1:0]
                    upstream: pop3://127.0.0.1:%d
                    routes:
                      - match: boss@example.com
                        upstream: pop3://127.0.0.1:%d
                    submission: smtp://127.0.0.1:%d
                    state-dir: %s
                    """.formatted(upstream.socket.getLocalPort(), upstream.socket.getLocalPort(), submission.port(),
                    dir)));

            try (ProxyServer proxy = ProxyServer.start(config)) {
                // The visit is connected and waits for a greeting that never comes, yet the proxy serves.
                assertThat(upstream.connected.await(10, TimeUnit.SECONDS)).isTrue();
                try (RawPop3Client client = RawPop3Client.plain(proxy.boundAddresses().get(0).getPort())) {
                    RawPop3Client.expectOk(client.readLine());
                }
                assertThat(logs.events()).as("no visit has ended yet").noneMatch(UpstreamCheckAtStartTest::isProbeWarning);

                upstream.hangUp();

                String url = "pop3://127.0.0.1:" + upstream.socket.getLocalPort();
                ILoggingEvent warning = logs.await(UpstreamCheckAtStartTest::isProbeWarning, 10_000);
                assertThat(warning.getFormattedMessage()).isEqualTo("upstream " + url + ": 127.0.0.1:"
                        + upstream.socket.getLocalPort() + " closed the connection during the greeting: check the "
                        + "server's logs; it may refuse connections from this machine");
                // The submission server's report comes after the upstream's, so all are in once it is.
                logs.await(event -> event.getFormattedMessage().equals("upstream smtp://127.0.0.1:" + submission.port()
                        + ": ok (plain, not encrypted)"), 10_000);
                List<ILoggingEvent> events = logs.events();
                assertThat(events.stream().filter(UpstreamCheckAtStartTest::isProbeWarning)).hasSize(1);
                List<String> messages = events.stream().map(ILoggingEvent::getFormattedMessage).toList();
                assertThat(indexOf(messages, "listening on pop3://")).as("bound first, warned after")
                        .isLessThan(messages.indexOf(warning.getFormattedMessage()));
                assertThat(upstream.accepted).as("one visit for the one URL").hasSize(1);
            }
        }
    }

    private static int indexOf(List<String> messages, String prefix) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
