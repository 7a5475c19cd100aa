package org.popbridge.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.tls.LegacyJsse;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.Scrape;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * What an administrator sees at /metrics after real sessions through popbridge to GreenMail: a
 * good and a bad POP3 login, a TLS 1.0 client on the legacy listener, a message through a filter,
 * a message sent by SMTP; that no user name shows in it; and /ready going 503 at shutdown.
 */
class MetricsEndpointTest {

    private static final String PLAIN_POP3 = "pop3://127.0.0.1:0";
    private static final String LEGACY_POP3S = "pop3s://127.0.0.1:0";
    private static final String SMTP = "smtp://127.0.0.1:0";
    /** A user name that must never show in the metrics, though it tried to log in. */
    private static final String STRANGER = "mallory-7q";

    @TempDir
    Path dir;

    private GreenMail mailServer;
    private ProxyFixture proxy;
    private SSLContext oldClient;

    @BeforeEach
    void start() throws Exception {
        mailServer = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()});
        mailServer.start();
        GreenMailUser alice = mailServer.setUser("alice@localhost", "alice", "secret");
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("promo@example.net");
        message.setRecipients(Message.RecipientType.TO, "alice@localhost");
        message.setSubject("you are a winner");
        message.setText("claim it\r\n");
        alice.deliver(message);

        TestCertificates pki = TestCertificates.newCa();
        Path[] files = TestCertificates.write(dir, "server", pki.issue("mail.example.test"));
        oldClient = pki.clientContext(LegacyJsse.provider());
        String yaml = """
                listen:
                  - { url: %s, require-tls-for-auth: false }
                  - url: %s
                    tls: { profile: legacy }
                  - { url: %s, require-tls-for-auth: false }
                upstream: pop3://127.0.0.1:%d
                submission: smtp://127.0.0.1:%d
                tls: { cert: %s, key: %s }
                state-dir: %s
                limits: { auth-failure-delay: 0s }
                metrics: { listen: "127.0.0.1:0" }
                filters:
                  - spam-tag:
                      threshold: 5
                      rules:
                        - { name: lottery, header: Subject, regex: "(?i)winner", score: 6 }
                      tag: { subject-prefix: "[SPAM] " }
                """.formatted(PLAIN_POP3, LEGACY_POP3S, SMTP, mailServer.getPop3().getPort(),
                mailServer.getSmtp().getPort(), files[0], files[1], dir.resolve("state"));
        PopbridgeConfig config = new ConfigLoader().load(Path.of("metrics.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        mailServer.stop();
    }

    @Test
    void afterScriptedSessionsTheMetricsShowWhatHappenedAndNoUser() throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("TOP 1 0"));
            assertThat(new String(client.readBody(), StandardCharsets.ISO_8859_1)).contains("[SPAM] you are a winner");
            RawPop3Client.expectOk(client.command("RETR 1"));
            client.readBody();
            RawPop3Client.expectOk(client.command("DELE 1"));
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER " + STRANGER));
            assertThat(client.command("PASS wrong-password")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        try (RawPop3Client client = RawPop3Client.tls(proxy.address(1).getPort(), oldClient,
                socket -> socket.setEnabledProtocols(new String[] {"TLSv1"}))) {
            assertThat(client.protocol()).isEqualTo("TLSv1");
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(2).getPort())) {
            assertThat(client.logIn("alice", "secret")).startsWith("235");
            assertThat(client.command("MAIL FROM:<alice@localhost>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@localhost>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: lunch\r\n\r\nat noon?\r\n.")).startsWith("250");
            assertThat(client.command("QUIT")).startsWith("221");
        }
        int pop3Port = mailServer.getPop3().getPort();

        String text = eventually(() -> {
            String scraped = scrape();
            // Each session is counted closed once its connection is gone on popbridge's side too.
            return Scrape.value(scraped, "popbridge_sessions_open", Map.of()) == 0 ? scraped : null;
        });

        Map<String, String> plain = Map.of("protocol", "pop3", "listener", PLAIN_POP3);
        Map<String, String> legacy = Map.of("protocol", "pop3", "listener", LEGACY_POP3S);
        Map<String, String> smtp = Map.of("protocol", "smtp", "listener", SMTP);
        assertThat(Scrape.value(text, "popbridge_sessions_total", plain)).isEqualTo(2);
        assertThat(Scrape.value(text, "popbridge_sessions_total", legacy)).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_sessions_total", smtp)).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_logins_total", plain)).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_logins_total", smtp)).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_login_failures_total", with(plain, "reason", "refused"))).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_upstream_failures_total",
                Map.of("route", "pop3://127.0.0.1:" + pop3Port, "stage", "login"))).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_messages_total", with(plain, "action", "retrieved"))).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_messages_total", with(plain, "action", "deleted"))).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_messages_total", with(smtp, "action", "sent"))).isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_client_tls_handshakes_total", with(legacy, "version", "TLSv1")))
                .isEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_octets_total", with(plain, "direction", "to_client")))
                .as("at least the message itself, twice (TOP and RETR)").isGreaterThan(100);
        assertThat(Scrape.value(text, "popbridge_octets_total", with(smtp, "direction", "from_client")))
                .isGreaterThan("Subject: lunch\r\n\r\nat noon?\r\n.\r\n".length());
        assertThat(Scrape.value(text, "popbridge_filter_verdicts_total",
                Map.of("filter", "spam-tag", "verdict", "deliver"))).isGreaterThanOrEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_filter_duration_seconds_count", Map.of("filter", "spam-tag")))
                .isGreaterThanOrEqualTo(1);
        assertThat(Scrape.value(text, "popbridge_verdict_cache_lookups_total", Map.of("result", "hit")))
                .as("RETR after TOP takes the verdict from the cache").isGreaterThanOrEqualTo(1);
        assertThat(Scrape.samples(text)).filteredOn(s -> s.name().equals("popbridge_certificate_days_left"))
                .singleElement().satisfies(s -> assertThat(s.value()).isGreaterThan(0));

        // Labels are never a user (cardinality and privacy): the logs say who, the metrics how many.
        assertThat(Scrape.samples(text)).allSatisfy(sample -> {
            assertThat(sample.labels().keySet()).doesNotContain("user", "client", "address", "ip");
            assertThat(sample.labels().values()).noneMatch(value -> value.contains("alice")
                    || value.contains(STRANGER) || value.contains("bob@"));
        });
    }

    @Test
    void readyTurns503WhenShutdownBeginsWhileMetricsAreStillServed() throws Exception {
        InetSocketAddress endpoint = proxy.server().metricsAddress();
        assertThat(Scrape.get(endpoint, "/ready").statusCode()).isEqualTo(200);
        assertThat(Scrape.get(endpoint, "/health").statusCode()).isEqualTo(200);
        try (RawPop3Client client = RawPop3Client.plain(proxy.address(0).getPort())) {
            RawPop3Client.expectOk(client.readLine());
            // An open session holds shutdown in its grace period.
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    proxy.server().shutdown(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            HttpResponse<String> ready = eventually(() -> {
                HttpResponse<String> response = Scrape.get(endpoint, "/ready");
                return response.statusCode() == 503 ? response : null;
            });
            assertThat(ready.body()).isEqualTo("shutting down\n");
            assertThat(Scrape.get(endpoint, "/health").statusCode()).as("the listeners are closed").isEqualTo(503);
            HttpResponse<String> metrics = Scrape.get(endpoint, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(Scrape.value(metrics.body(), "popbridge_sessions_open",
                    Map.of("listener", PLAIN_POP3))).isEqualTo(1);

            RawPop3Client.expectOk(client.command("QUIT"));
            stopping.get(30, TimeUnit.SECONDS);
        }
        proxy = null;
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = Scrape.get(proxy.server().metricsAddress(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(key, value);
        return more;
    }

    /** What {@code attempt} gives once it gives something (not null), trying for up to 10 s. */
    private static <T> T eventually(Attempt<T> attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(50);
        }
    }

    private interface Attempt<T> {
        T get() throws Exception;
    }
}
