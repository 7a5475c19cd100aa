package org.popbridge.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.Scrape;

/** An overlong command line counts as the command-line-octets limit hit, in POP3 and in SMTP. */
class LineLimitMetricsTest {

    @TempDir
    Path dir;

    @Test
    void overlongCommandLinesAreCountedByProtocol() throws Exception {
        String yaml = """
                listen:
                  - pop3://127.0.0.1:0
                  - smtp://127.0.0.1:0
                upstream: pop3://127.0.0.1:9
                submission: smtp://127.0.0.1:9
                limits: { command-line-octets: 300 }
                state-dir: %s
                metrics: { listen: "127.0.0.1:0" }
                """.formatted(dir.resolve("state"));
        try (ProxyFixture proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("lines.yaml"),
                yaml.getBytes(StandardCharsets.UTF_8)))) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                RawPop3Client.expectOk(client.readLine());
                assertThat(client.command("NOOP " + "x".repeat(400))).startsWith("-ERR Command line too long");
            }
            try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                assertThat(client.reply()).startsWith("220 ");
                assertThat(client.command("NOOP " + "x".repeat(2000))).startsWith("500 5.5.6");
            }

            String text = Scrape.get(proxy.server().metricsAddress(), "/metrics").body();

            for (String protocol : new String[] {"pop3", "smtp"}) {
                assertThat(Scrape.value(text, "popbridge_limits_hit_total",
                        Map.of("protocol", protocol, "limit", "command-line-octets"))).as(protocol).isEqualTo(1);
            }
        }
    }
}
