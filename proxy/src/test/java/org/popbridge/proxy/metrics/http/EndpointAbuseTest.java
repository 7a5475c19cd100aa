package org.popbridge.proxy.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint under abuse: whatever a client sends, it gets a short answer or a closed
 * connection, never the proxy's time or memory: oversized request lines, headers and bodies,
 * garbage, a client that trickles its headers forever, more connections than allowed.
 */
class EndpointAbuseTest {

    private static final EndpointLimits LIMITS = new EndpointLimits(256, 1024, 256, Duration.ofMillis(500), 2);

    private final AtomicBoolean ready = new AtomicBoolean(true);
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = MetricsEndpoint.bind("127.0.0.1", 0,
                new EndpointContent(() -> "popbridge_up 1.0\n", () -> true, ready::get), LIMITS);
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
    }

    @Test
    void theThreePathsAnswerAndEverythingElseIsRefusedByName() throws Exception {
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK")
                .contains("content-type: text/plain; version=0.0.4; charset=utf-8").endsWith("popbridge_up 1.0\n");
        assertThat(exchange("GET /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("up\n");
        assertThat(exchange("GET /ready?verbose=1 HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        ready.set(false);
        assertThat(exchange("GET /ready HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 503 Service Unavailable");
        assertThat(exchange("GET /metrics/../etc/passwd HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found");
        assertThat(exchange("GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found");
        assertThat(exchange("DELETE /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405 Method Not Allowed")
                .contains("allow: GET");
        assertThat(exchange("HEAD /health HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405");
    }

    @Test
    void aRequestIsLoggedOnlyAtDebugAndEscapedSoNoScannerDrivesTheAdminsTerminal() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(ProbeRequests.class);
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (org.popbridge.proxy.testing.LogCapture log = org.popbridge.proxy.testing.LogCapture.of(ProbeRequests.class)) {
            assertThat(exchange("GET /x%1b[2J\u001b]0;owned\u0007 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");

            assertThat(log.events()).isNotEmpty().allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
                assertThat(event.getFormattedMessage()).doesNotContain("\u001b").doesNotContain("\u0007");
            });
        } finally {
            logger.setLevel(before);
        }
    }

    @Test
    void aRequestLineOverTheLimitGets414AndTheConnectionCloses() throws Exception {
        assertThat(exchange("GET /metrics?" + "a".repeat(LIMITS.requestLineOctets()) + " HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 414");
    }

    @Test
    void hugeHeadersGet431AndTheConnectionCloses() throws Exception {
        StringBuilder request = new StringBuilder("GET /metrics HTTP/1.1\r\n");
        for (int i = 0; i < 200; i++) {
            request.append("X-Padding-").append(i).append(": ").append("b".repeat(100)).append("\r\n");
        }
        assertThat(exchange(request + "\r\n")).startsWith("HTTP/1.1 431");
    }

    @Test
    void aBodyOverTheLimitIsRefusedUnread() throws Exception {
        assertThat(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + "c".repeat(2000)))
                .startsWith("HTTP/1.1 413");
    }

    @Test
    void garbageGetsABadRequestOrAClosedConnectionNeverAnAnswer() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(13).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i += 97) {
            garbage[i] = '\n';
        }
        String answer = exchange(garbage);
        assertThat(answer).doesNotContain("200 OK").doesNotContain("popbridge_up");
        assertThat(exchange("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003 TLS hello\r\n\r\n"))
                .doesNotContain("200 OK");
    }

    @Test
    void aClientThatTricklesItsHeadersForeverIsCutOffAtTheDeadline() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean cutOff = false;
            // Each header line alone would keep an idle timer happy; 200 of them take 20 times the deadline.
            for (int i = 0; i < 200 && !cutOff; i++) {
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50);
                    socket.setSoTimeout(1);
                    cutOff = socket.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // Nothing to read yet: the connection is still open.
                } catch (SocketException reset) {
                    cutOff = true;
                }
            }
            assertThat(cutOff).as("closed by the endpoint while the client was still sending").isTrue();
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnceAndServedAgainOnceOthersLeave() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMITS.connections(); i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort());
                socket.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            // Accepted in order on one loop: the held ones were counted before this one.
            try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort())) {
                extra.setSoTimeout(5_000);
                assertThat(readAll(extra.getInputStream())).as("closed without an answer").isEmpty();
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String answer = "";
        while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
            answer = exchange("GET /health HTTP/1.1\r\n\r\n");
        }
        assertThat(answer).startsWith("HTTP/1.1 200");
    }

    private String exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the request and reads until the endpoint closes the connection. */
    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort())) {
            socket.setSoTimeout(5_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException closedEarly) {
                // The endpoint may answer and close before reading all of an oversized request.
            }
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the answer: what was read is the answer.
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
