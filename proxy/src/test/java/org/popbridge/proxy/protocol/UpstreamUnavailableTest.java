package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.ConnectionEnd;
import org.popbridge.proxy.testing.FixedGreetingServer;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;

/** What a client sees when the session cannot start upstream: a temporary -ERR (RFC 3206 SYS/TEMP), then close. */
class UpstreamUnavailableTest {

    @TempDir
    Path stateDir;

    private static void assertTemporaryFailureThenClose(RawPop3Client client) throws Exception {
        assertThat(client.readLine()).startsWith("-ERR [SYS/TEMP] ");
        assertThat(ConnectionEnd.linesUntilClosed(client)).as("nothing more; the connection is closed").isEmpty();
    }

    @Test
    void nothingListeningUpstream() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.inFrontOf(FixedGreetingServer.unusedPort(), stateDir)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                assertTemporaryFailureThenClose(client);
            }
            try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
                assertTemporaryFailureThenClose(client);
            }
        }
    }

    @Test
    void upstreamGreetsWithErr() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer("-ERR [SYS/TEMP] too busy, internal detail 0x1f");
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                String reply = client.readLine();
                assertThat(reply).startsWith("-ERR [SYS/TEMP] ").doesNotContain("internal detail");
                assertThat(ConnectionEnd.linesUntilClosed(client)).isEmpty();
            }
            assertThat(upstream.linesReceived()).as("the proxy sends nothing after a -ERR greeting").isEmpty();
        }
    }

    @Test
    void upstreamClosesWithoutAGreeting() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer(null);
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertTemporaryFailureThenClose(client);
        }
    }

    @Test
    void upstreamSendsGarbageInsteadOfAGreeting() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer("220 smtp.example.org ESMTP");
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            List<String> lines = ConnectionEnd.linesUntilClosed(client);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("-ERR [SYS/TEMP] ").doesNotContain("ESMTP");
        }
    }
}
