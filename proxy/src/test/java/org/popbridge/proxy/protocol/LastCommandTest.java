package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** LAST (RFC 1725), which old clients still send. */
class LastCommandTest {

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", List.of(MessageSource.of("Subject: x\r\n\r\ny\r\n")));
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }

    @Test
    void relayedWhenTheUpstreamKnowsIt() throws Exception {
        upstream.supportLast(true);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("LAST")).isEqualTo("+OK 0");
            assertThat(client.command("NOOP")).startsWith("+OK");
        }
        assertThat(upstream.commandsSeen()).contains("LAST");
    }

    @Test
    void aCleanErrWhenTheUpstreamDoesNot() throws Exception {
        upstream.supportLast(false);
        try (RawPop3Client client = loggedIn()) {
            String reply = client.command("LAST");
            assertThat(reply).startsWith("-ERR ").doesNotContain("unknown command");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 17");
        }
    }

    @Test
    void lastWithAnArgumentIsASyntaxError() throws Exception {
        upstream.supportLast(true);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("LAST 1")).startsWith("-ERR");
            assertThat(client.command("NOOP")).startsWith("+OK");
        }
        assertThat(upstream.commandsSeen()).doesNotContain("LAST 1", "LAST");
    }
}
