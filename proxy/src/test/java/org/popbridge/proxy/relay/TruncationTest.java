package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** Invariant 2: an upstream that dies mid-RETR never yields a message that looks complete. */
class TruncationTest {

    private static final MessageSource MESSAGE = MessageSource.of(
            "Subject: cut\r\n\r\nline one\r\n.dotted\r\nline three\r\n");

    @TempDir
    Path stateDir;

    /** Cut points measured from the end of the wire form: mid-line, after a CRLF, inside the terminator. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 12, 20, 40})
    void upstreamDeathMidRetrClosesTheClientWithoutATerminator(int octetsShort) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of(MESSAGE));
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir)) {
            byte[] wire = upstream.wireForm(1);
            upstream.dieDuringRetrAfter(wire.length - octetsShort);
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                RawPop3Client.expectOk(client.readLine());
                client.login("alice", "secret");
                RawPop3Client.expectOk(client.command("RETR 1"));
                byte[] received = client.readToEnd();

                assertThat(received.length).isLessThan(wire.length);
                assertThat(Arrays.copyOf(wire, received.length)).as("what arrived is a prefix of the upstream's octets")
                        .isEqualTo(received);
                assertThat(new String(received, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotEndWith("\r\n.\r\n").doesNotContain("-ERR");
            }
            assertThat(upstream.quitCount()).isZero();
        }
    }
}
