package org.popbridge.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.Scrape;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** Mail servers that cannot be reached show by route and stage, and as logins that failed for want of them. */
class UpstreamFailureMetricsTest {

    @TempDir
    Path dir;

    @Test
    void refusedConnectionsAreCountedByRouteForPop3AndSmtp() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        String yaml = """
                listen:
                  - { url: pop3://127.0.0.1:0, require-tls-for-auth: false }
                  - { url: smtp://127.0.0.1:0, require-tls-for-auth: false }
                upstream: pop3://127.0.0.1:%d
                submission: smtp://127.0.0.1:%d
                state-dir: %s
                metrics: { listen: "127.0.0.1:0" }
                """.formatted(closed, closed, dir.resolve("state"));
        try (ProxyFixture proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("down.yaml"),
                yaml.getBytes(StandardCharsets.UTF_8)))) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.command("USER alice"));
                assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");
            }
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                assertThat(client.logIn("alice", "secret")).startsWith("454 4.7.0");
            }

            String text = Scrape.get(proxy.server().metricsAddress(), "/metrics").body();

            assertThat(Scrape.value(text, "popbridge_upstream_failures_total", Map.of("protocol", "pop3",
                    "route", "pop3://127.0.0.1:" + closed, "stage", "connect"))).isEqualTo(1);
            assertThat(Scrape.value(text, "popbridge_upstream_failures_total", Map.of("protocol", "smtp",
                    "route", "smtp://127.0.0.1:" + closed, "stage", "connect"))).isEqualTo(1);
            assertThat(Scrape.value(text, "popbridge_login_failures_total", Map.of("reason", "unavailable")))
                    .isEqualTo(2);
            assertThat(Scrape.value(text, "popbridge_logins_total", Map.of())).isZero();
        }
    }

    /** The JDK sees only a closed connection; the adapter names the problem, and its stage is the handshake. */
    @Test
    void aPlainServerBehindATlsUrlFailsAtTheTlsStage() throws Exception {
        try (ScriptedPop3Server plain = new ScriptedPop3Server("alice", "secret", List.of())) {
            String yaml = """
                    listen:
                      - { url: pop3://127.0.0.1:0, require-tls-for-auth: false }
                    upstream: { url: pop3s://127.0.0.1:%d, handshake-timeout: 2s }
                    state-dir: %s
                    metrics: { listen: "127.0.0.1:0" }
                    """.formatted(plain.port(), dir.resolve("state"));
            try (ProxyFixture proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("plain.yaml"),
                    yaml.getBytes(StandardCharsets.UTF_8)));
                 RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                RawPop3Client.expectOk(client.readLine());
                RawPop3Client.expectOk(client.command("USER alice"));
                assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");

                String text = Scrape.get(proxy.server().metricsAddress(), "/metrics").body();
                assertThat(Scrape.value(text, "popbridge_upstream_failures_total", Map.of("protocol", "pop3",
                        "route", "pop3s://127.0.0.1:" + plain.port(), "stage", "tls"))).isEqualTo(1);
            }
        }
    }
}
