package org.popbridge.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.slf4j.Logger;

/**
 * A session whose upstream cannot be reached or secured logs why in one sentence at WARN, the
 * same words check-config --probe uses, and never netty's exception text (for a plain server
 * behind pop3s://, a hex dump of its greeting); the client's reply is what it always was.
 */
class UpstreamProblemLogTest {

    @TempDir
    Path stateDir;

    @Test
    void aPlainServerBehindAPop3sUrlIsSaidInWordsWithoutAHexDump() throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of());
                LogCapture logs = LogCapture.of(Logger.ROOT_LOGGER_NAME);
                ProxyFixture proxy = ProxyFixture.inFrontOf(
                        UpstreamConfig.parse("pop3s://127.0.0.1:" + upstream.port()), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS secret")).isEqualTo("-ERR [SYS/TEMP] Mail server unavailable, try again later");

            int port = upstream.port();
            ILoggingEvent warning = logs.await(event -> event.getLevel() == Level.WARN
                    && event.getFormattedMessage().contains("upstream UNAVAILABLE"), 10_000);
            assertThat(warning.getFormattedMessage()).contains("upstream UNAVAILABLE: 127.0.0.1:" + port
                    + " answered in clear text where pop3s://127.0.0.1:" + port + " expects TLS from the first byte: "
                    + "it is a plain port; use pop3+stls://127.0.0.1:" + port + " to start TLS with STLS, or the "
                    + "server's TLS port (pop3s is usually 995) (user alice, state AUTHORIZATION)");
            assertThat(logs.events()).as("nothing at WARN or above quotes netty's record dump")
                    .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .allSatisfy(event -> {
                        assertThat(event.getFormattedMessage()).doesNotContain("SSL/TLS record").doesNotContain("2b4f4b");
                        assertThat(event.getThrowableProxy()).isNull();
                    });
        }
    }
}
