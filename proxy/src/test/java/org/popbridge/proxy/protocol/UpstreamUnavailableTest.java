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

/**
 * What a client sees when the session cannot start upstream: a temporary -ERR (RFC 3206
 * SYS/TEMP), then close. By default the server is contacted only at login (invariant 8), so
 * the -ERR answers the login; with {@code apop: true} it is contacted at once and the -ERR is
 * the greeting.
 */
class UpstreamUnavailableTest {

    @TempDir
    Path stateDir;

    /** The greeting is popbridge's; the login is where the server turns out to be unavailable. */
    private static void assertTemporaryFailureAtLoginThenClose(RawPop3Client client) throws Exception {
        RawPop3Client.expectOk(client.readLine());
        RawPop3Client.expectOk(client.command("USER alice"));
        assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP] ");
        assertThat(ConnectionEnd.linesUntilClosed(client)).as("nothing more; the connection is closed").isEmpty();
    }

    private static void assertTemporaryFailureThenClose(RawPop3Client client) throws Exception {
        assertThat(client.readLine()).startsWith("-ERR [SYS/TEMP] ");
        assertThat(ConnectionEnd.linesUntilClosed(client)).as("nothing more; the connection is closed").isEmpty();
    }

    @Test
    void nothingListeningUpstreamIsFoundAtLogin() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.inFrontOf(FixedGreetingServer.unusedPort(), stateDir)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                assertTemporaryFailureAtLoginThenClose(client);
            }
            try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
                assertTemporaryFailureAtLoginThenClose(client);
            }
        }
    }

    @Test
    void anUpstreamThatGreetsWithErrIsFoundAtLogin() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer("-ERR [SYS/TEMP] too busy, internal detail 0x1f");
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertTemporaryFailureAtLoginThenClose(client);
            assertThat(upstream.linesReceived()).as("nothing is sent after a -ERR greeting").isEmpty();
        }
    }

    @Test
    void anUpstreamThatSendsGarbageIsFoundAtLogin() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer("220 smtp.example.org ESMTP");
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertTemporaryFailureAtLoginThenClose(client);
        }
    }

    @Test
    void nothingListeningUpstream() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.inFrontOfWithApop(FixedGreetingServer.unusedPort(), stateDir)) {
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
                ProxyFixture proxy = ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir)) {
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
                ProxyFixture proxy = ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            assertTemporaryFailureThenClose(client);
        }
    }

    @Test
    void upstreamSendsGarbageInsteadOfAGreeting() throws Exception {
        try (FixedGreetingServer upstream = new FixedGreetingServer("220 smtp.example.org ESMTP");
                ProxyFixture proxy = ProxyFixture.inFrontOfWithApop(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            List<String> lines = ConnectionEnd.linesUntilClosed(client);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("-ERR [SYS/TEMP] ").doesNotContain("ESMTP");
        }
    }
}
