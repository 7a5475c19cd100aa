package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.transport.Transport;
import org.popbridge.proxy.testing.AvailableTransports;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * Invariant 2: an upstream that dies mid-RETR never yields a message that looks complete, and
 * the client is closed at once, on every transport that loads here. netty's io_uring, as
 * shipped, once missed such a server's reset and left the client waiting (NettyProperties).
 */
class TruncationTest {

    private static final MessageSource SHORT = MessageSource.of(
            "Subject: cut\r\n\r\nline one\r\n.dotted\r\nline three\r\n");
    /** Several reads long, with lines to stuff. */
    private static final MessageSource LONG = MessageSource.of("Subject: cut long\r\n\r\n"
            + IntStream.range(0, 3_000).mapToObj(i -> (i % 7 == 0 ? "." : "") + "line " + i + " of the body\r\n")
                    .collect(Collectors.joining()));

    @TempDir
    Path stateDir;

    /** Cut points measured from the end of the wire form: mid-line, after a CRLF, inside the terminator, deep in the body. */
    static Stream<Arguments> cuts() {
        return AvailableTransports.all().stream().flatMap(transport -> Stream.concat(
                Stream.of(1, 2, 3, 4, 5, 12, 20, 40).map(cut -> Arguments.of(transport, "short", cut)),
                Stream.of(12, 30_000).map(cut -> Arguments.of(transport, "long", cut))));
    }

    @ParameterizedTest(name = "{0}, {1} message, {2} octets short")
    @MethodSource("cuts")
    void upstreamDeathMidRetrClosesTheClientWithoutATerminator(Transport transport, String message, int octetsShort)
            throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret",
                        List.of(message.equals("long") ? LONG : SHORT));
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir, transport)) {
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
