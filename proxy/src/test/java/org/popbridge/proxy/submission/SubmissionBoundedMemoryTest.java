package org.popbridge.proxy.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.ProxyProcess;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * Invariant 4 for mail sent: a 100 MB message goes through a proxy whose heap and direct memory
 * are capped far below its size, through the outgoing filters (unstuffed, stuffed again) and
 * without them (relayed as the client stuffed it). Only the header block is held for the
 * filters; if the proxy buffered the body, it would run out of memory and the server would not
 * get the message.
 */
class SubmissionBoundedMemoryTest {

    private static final int LINES = 100 * 1024 * 1024 / 64;
    private static final String LINE = "0123456789abcdef".repeat(3) + "body, line by.\r\n";

    @TempDir
    Path stateDir;

    @Test
    void aHundredMegabyteMessageThroughTheOutgoingFiltersFitsInASmallHeap() throws Exception {
        sendHundredMegabytes("""
                filters:
                  - log: {}
                  - headers: { direction: outgoing, add: { X-Sent-Via: popbridge } }
                """, "Subject: big\r\nX-Sent-Via: popbridge\r\n\r\n");
    }

    @Test
    void aHundredMegabyteMessageRelayedUnreadFitsInASmallHeap() throws Exception {
        sendHundredMegabytes("", "Subject: big\r\n\r\n");
    }

    private void sendHundredMegabytes(String filters, String expectedHeader) throws Exception {
        assertThat(LINE).hasSize(64);
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("alice", "Big-Secret").digestOnly()) {
            Path config = stateDir.resolve("smtp.yaml");
            Files.writeString(config, """
                    listen: [smtp://127.0.0.1:0]
                    submission: smtp://127.0.0.1:%d
                    limits:
                      max-message-size: 200MB
                    %s
                    """.formatted(server.port(), filters));
            ProxyProcess proxy = ProxyProcess.start(List.of(), ProxyProcess.SMALL_HEAP,
                    List.of("--config", config.toString(), "--state-dir", stateDir.toString()));
            try (proxy) {
                int port = proxy.port();
                try (RawSmtpClient client = RawSmtpClient.plain(port)) {
                    assertThat(client.logIn("alice", "Big-Secret")).startsWith("235 ");
                    assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("250 ");
                    assertThat(client.command("RCPT TO:<bob@example.com>")).startsWith("250 ");
                    assertThat(client.command("DATA")).startsWith("354 ");
                    client.send("Subject: big\r\n\r\n");
                    String block = LINE.repeat(1024);
                    for (int i = 0; i < LINES / 1024; i++) {
                        client.send(block);
                    }
                    assertThat(client.command(".")).startsWith("250 ");
                }
                MessageDigest expected = MessageDigest.getInstance("SHA-256");
                expected.update(expectedHeader.getBytes(StandardCharsets.US_ASCII));
                byte[] block = LINE.repeat(1024).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < LINES / 1024; i++) {
                    expected.update(block);
                }
                assertThat(server.acceptedDigests()).hasSize(1);
                assertThat(server.acceptedDigests().get(0)).as("the message arrived whole, with any header the filters add")
                        .isEqualTo(expected.digest());
                assertThat(proxy.process().isAlive()).as("proxy survived").isTrue();
            }
            assertThat(proxy.output()).as("proxy output").noneMatch(line -> line.contains("OutOfMemoryError"));
        }
    }
}
