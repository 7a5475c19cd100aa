package org.popbridge.proxy.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.Scrape;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.popbridge.proxy.testing.TokenAuthenticators;

/** Bearer logins and the three ways of getting no token are counted per listener, never per user. */
class BearerMetricsTest {

    @TempDir
    Path dir;

    @Test
    void bearerLoginsAndTokenFailuresAreCountedWithoutAUserLabel() throws Exception {
        TokenAuthenticators tokens = new TokenAuthenticators()
                .enrol("alice@example.com", "alice-local", "token-a")
                .failing("revoked@example.com", "pw", UpstreamAuthFailure.REENROL_NEEDED)
                .failing("offline@example.com", "pw", UpstreamAuthFailure.TEMPORARY);
        try (ScriptedPop3Server pop3 = new ScriptedPop3Server("nobody", "unused", List.of())
                        .capabilities(List.of("SASL XOAUTH2", "RESP-CODES")).acceptToken("alice@example.com", "token-a");
                ScriptedSmtpServer smtp = new ScriptedSmtpServer("nobody", "unused")
                        .extensions(List.of("AUTH XOAUTH2")).acceptToken("alice@example.com", "token-a")) {
            String yaml = """
                    listen: [pop3://127.0.0.1:0, smtp://127.0.0.1:0]
                    upstream:
                      url: pop3://127.0.0.1:%d
                      auth: oauth2
                      provider: {type: google, client-id: popbridge-test}
                    submission:
                      url: smtp://127.0.0.1:%d
                      auth: oauth2
                      provider: {type: google, client-id: popbridge-test}
                    limits: {auth-failure-delay: 0s}
                    state-dir: %s
                    metrics: { listen: "127.0.0.1:0" }
                    """.formatted(pop3.port(), smtp.port(), dir.resolve("state"));
            try (ProxyFixture proxy = ProxyFixture.start(new ConfigLoader().load(Path.of("bearer.yaml"),
                    yaml.getBytes(StandardCharsets.UTF_8)), tokens)) {
                try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                    RawPop3Client.expectOk(client.readLine());
                    client.login("alice@example.com", "alice-local");
                }
                try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
                    RawPop3Client.expectOk(client.readLine());
                    RawPop3Client.expectOk(client.command("USER alice@example.com"));
                    assertThat(client.command("PASS wrong")).startsWith("-ERR [AUTH]");
                    RawPop3Client.expectOk(client.command("USER revoked@example.com"));
                    assertThat(client.command("PASS pw")).startsWith("-ERR [AUTH]");
                    RawPop3Client.expectOk(client.command("USER offline@example.com"));
                    assertThat(client.command("PASS pw")).startsWith("-ERR [SYS/TEMP]");
                }
                try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                    assertThat(client.logIn("alice@example.com", "alice-local")).startsWith("235 ");
                }
                try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
                    assertThat(client.logIn("offline@example.com", "pw")).startsWith("454 ");
                }

                String text = Scrape.get(proxy.server().metricsAddress(), "/metrics").body();

                assertThat(Scrape.value(text, "popbridge_logins_bearer_total", Map.of("protocol", "pop3"))).isEqualTo(1);
                assertThat(Scrape.value(text, "popbridge_logins_bearer_total", Map.of("protocol", "smtp"))).isEqualTo(1);
                assertThat(Scrape.value(text, "popbridge_token_failures_total",
                        Map.of("protocol", "pop3", "reason", "credentials_refused"))).isEqualTo(1);
                assertThat(Scrape.value(text, "popbridge_token_failures_total",
                        Map.of("protocol", "pop3", "reason", "reenrol_needed"))).isEqualTo(1);
                assertThat(Scrape.value(text, "popbridge_token_failures_total",
                        Map.of("protocol", "pop3", "reason", "temporary"))).isEqualTo(1);
                assertThat(Scrape.value(text, "popbridge_token_failures_total",
                        Map.of("protocol", "smtp", "reason", "temporary"))).isEqualTo(1);
                // The failed logins count as such too: refused twice, unavailable once, on POP3.
                assertThat(Scrape.value(text, "popbridge_login_failures_total",
                        Map.of("protocol", "pop3", "reason", "refused"))).isEqualTo(2);
                assertThat(Scrape.value(text, "popbridge_login_failures_total",
                        Map.of("protocol", "pop3", "reason", "unavailable"))).isEqualTo(1);
                assertThat(text).doesNotContain("alice", "revoked", "offline");
            }
        }
    }
}
