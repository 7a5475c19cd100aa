package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
 * The relay's invariants on every transport that loads here, not only the default: a RETR
 * arrives octet for octet, and an upstream that dies mid-RETR closes the client at once, with
 * what arrived a prefix and no terminator (invariant 2). netty's io_uring once missed such a
 * server's reset, and the client waited for a reply that could not end (NettyProperties).
 */
class EveryTransportRelayTest {

    /** Long enough that the reply takes several reads, with dots to stuff and a line of only a dot. */
    private static final MessageSource MESSAGE = MessageSource.of("Subject: every transport\r\n\r\n"
            + IntStream.range(0, 3_000).mapToObj(i -> (i % 7 == 0 ? "." : "") + "line " + i + " of the body\r\n")
                    .reduce("", String::concat)
            + ".\r\nlast\r\n");

    @TempDir
    Path stateDir;

    static List<Transport> transports() {
        return AvailableTransports.all();
    }

    /** Cut points from the end of the wire form: inside the terminator, mid-line, deep in the body. */
    static Stream<Arguments> transportsAndCuts() {
        return transports().stream()
                .flatMap(transport -> Stream.of(1, 3, 12, 40, 30_000).map(cut -> Arguments.of(transport, cut)));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aRetrArrivesOctetForOctet(Transport transport) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of(MESSAGE));
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir, transport);
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            RawPop3Client.expectOk(client.command("RETR 1"));

            assertThat(client.readBody()).as("the server's stuffed octets and terminator").isEqualTo(upstream.wireForm(1));
            RawPop3Client.expectOk(client.command("QUIT"));
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndCuts")
    void upstreamDeathMidRetrClosesTheClientWithoutATerminator(Transport transport, int octetsShort) throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of(MESSAGE));
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
                assertThat(new String(received, StandardCharsets.ISO_8859_1))
                        .doesNotEndWith("\r\n.\r\n").doesNotContain("-ERR");
            }
            assertThat(upstream.quitCount()).isZero();
        }
    }
}
