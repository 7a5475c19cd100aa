package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TrickyMessages;

/** RFC 2449 PIPELINING: commands sent in one burst get their replies complete and in order. */
class PipeliningTest {

    /** Commands and whether their +OK reply is multi-line. */
    private static final List<String> BURST = List.of(
            "STAT", "LIST", "UIDL", "RETR 1", "NOOP", "TOP 2 0", "LIST 3", "RETR 99", "RETR 4", "UIDL 1", "DELE 2", "RSET", "STAT");

    @TempDir
    Path stateDir;

    @Test
    void aBurstOfCommandsGetsTheSameRepliesAsOneByOne() throws Exception {
        assertBurstMatchesSequential(List.of("TOP", "UIDL", "USER", "PIPELINING"));
    }

    @Test
    void anUpstreamWithoutPipeliningStillAnswersABurstInOrder() throws Exception {
        assertBurstMatchesSequential(List.of("TOP", "UIDL", "USER"));
    }

    @Test
    void loginCanBePipelinedWithTheFirstCommands() throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", TrickyMessages.corpus());
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.sendRaw("USER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.readLine()).startsWith("+OK " + TrickyMessages.corpus().size() + " ");
            assertThat(client.readLine()).startsWith("+OK");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    private void assertBurstMatchesSequential(List<String> capabilities) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", TrickyMessages.corpus())
                        .capabilities(capabilities).splitWrites(9);
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir)) {
            byte[] sequential;
            try (RawPop3Client client = loggedIn(proxy)) {
                ByteArrayOutputStream replies = new ByteArrayOutputStream();
                for (String command : BURST) {
                    client.send(command);
                    readReply(client, command, replies);
                }
                sequential = replies.toByteArray();
            }
            byte[] pipelined;
            try (RawPop3Client client = loggedIn(proxy)) {
                client.sendRaw(String.join("\r\n", BURST) + "\r\n");
                ByteArrayOutputStream replies = new ByteArrayOutputStream();
                for (String command : BURST) {
                    readReply(client, command, replies);
                }
                pipelined = replies.toByteArray();
            }
            assertThat(new String(pipelined, StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(sequential, StandardCharsets.ISO_8859_1))
                    .contains("-ERR");
        }
    }

    private static void readReply(RawPop3Client client, String command, ByteArrayOutputStream into) throws Exception {
        String status = client.readLine();
        into.writeBytes((command + " -> " + status + "\n").getBytes(StandardCharsets.ISO_8859_1));
        boolean multiline = command.equals("LIST") || command.equals("UIDL") || command.startsWith("RETR")
                || command.startsWith("TOP");
        if (status.startsWith("+OK") && multiline) {
            into.writeBytes(client.readBody());
        }
    }

    private static RawPop3Client loggedIn(ProxyFixture proxy) throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }
}
