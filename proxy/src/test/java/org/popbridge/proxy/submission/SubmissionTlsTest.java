package org.popbridge.proxy.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * TLS towards SMTP clients: STARTTLS (RFC 3207) with bytes injected before the handshake
 * discarded, AUTH refused in clear where TLS is required, and implicit TLS (RFC 8314).
 */
class SubmissionTlsTest {

    private static final String PASSWORD = "Tls-Secret-9";

    @TempDir
    Path stateDir;

    private ScriptedSmtpServer server;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedSmtpServer("alice", PASSWORD);
        String yaml = """
                listen:
                  - url: smtp://127.0.0.1:0
                    require-tls-for-auth: true
                  - smtps://127.0.0.1:0
                submission: smtp://127.0.0.1:%d
                state-dir: %s
                """.formatted(server.port(), stateDir);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @Test
    void authIsRefusedInClearAndOfferedAfterStarttls() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(client.command("AUTH PLAIN AGFsaWNlAHg=")).startsWith("538 5.7.11");
            assertThat(client.command("STARTTLS")).startsWith("220 2.0.0");
            client.startTls(proxy.certificate());
            String ehlo = client.command("EHLO client.example");
            assertThat(ehlo).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            String response = java.util.Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(client.command("AUTH PLAIN " + response)).startsWith("235 ");
        }
    }

    @Test
    void commandsSentWithStarttlsBeforeTheHandshakeAreDiscarded() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.command("EHLO client.example")).startsWith("250");
            // A man in the middle appends a command to the client's STARTTLS (CVE-2011-0411).
            client.send("STARTTLS\r\nRSET\r\n");
            assertThat(client.reply()).startsWith("220 2.0.0");
            client.startTls(proxy.certificate());
            // Had the RSET been kept, its 250 would come first; the next reply must be NOOP's own.
            assertThat(client.command("EHLO after.tls")).startsWith("250-").doesNotContain("STARTTLS");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void implicitTlsGreetsAfterTheHandshake() throws Exception {
        try (RawSmtpClient client = RawSmtpClient.tls(proxy.address(1).getPort(), proxy.certificate())) {
            assertThat(client.reply()).startsWith("220 ");
            assertThat(client.logInWithoutGreeting("alice", PASSWORD)).startsWith("235 ");
        }
    }
}
