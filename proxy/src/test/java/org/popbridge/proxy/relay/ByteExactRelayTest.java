package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.transport.Transport;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.TrickyMessages;

/** Invariant 3: RETR and TOP through the proxy carry exactly the octets the upstream sent. */
class ByteExactRelayTest {

    @TempDir
    Path stateDir;

    private final List<MessageSource> corpus = TrickyMessages.corpusWithLargeAttachment();
    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "secret", corpus);
        proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void retrThroughTlsIsTheUpstreamsOctetsForEveryTrickyMessage() throws Exception {
        try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            for (int n = 1; n <= corpus.size(); n++) {
                RawPop3Client.expectOk(client.command("RETR " + n));
                byte[] received = client.readBody();
                assertThat(received).as("wire octets of message %d (%s)", n, corpus.get(n - 1)).isEqualTo(upstream.wireForm(n));
                assertThat(DotStuffing.unstuff(received)).as("message %d after unstuffing", n)
                        .isEqualTo(withFinalCrlf(corpus.get(n - 1).bytes()));
            }
        }
    }

    @Test
    void retrIsExactWhenTheUpstreamWritesInTinyRandomPieces() throws Exception {
        upstream.splitWrites(7);
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            // The small messages only: splitting 10 MB into 7-octet writes is slow, not more telling.
            for (int n = 1; n <= corpus.size() - 1; n++) {
                RawPop3Client.expectOk(client.command("RETR " + n));
                assertThat(client.readBody()).as("message %d", n).isEqualTo(upstream.wireForm(n));
            }
        }
    }

    /** The same octets whichever transport carries the sockets, of all that load here. */
    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.testing.AvailableTransports#all")
    void retrIsExactOnEveryTransport(Transport transport, @TempDir Path ownStateDir) throws Exception {
        try (ProxyFixture onTransport = ProxyFixture.inFrontOf(upstream.port(), ownStateDir, transport);
                RawPop3Client client = RawPop3Client.plain(onTransport.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "secret");
            for (int n = 1; n <= corpus.size(); n++) {
                RawPop3Client.expectOk(client.command("RETR " + n));
                assertThat(client.readBody()).as("message %d on %s", n, transport).isEqualTo(upstream.wireForm(n));
            }
        }
    }

    @Test
    void topIsExactForEveryTrickyMessageAndLineCount() throws Exception {
        upstream.splitWrites(5);
        try (RawPop3Client direct = RawPop3Client.plain(upstream.port());
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(direct.readLine());
            RawPop3Client.expectOk(client.readLine());
            direct.login("alice", "secret");
            client.login("alice", "secret");
            for (int n = 1; n <= corpus.size(); n++) {
                for (int lines : new int[] {0, 1, 3, 50}) {
                    RawPop3Client.expectOk(direct.command("TOP " + n + " " + lines));
                    RawPop3Client.expectOk(client.command("TOP " + n + " " + lines));
                    assertThat(client.readBody()).as("TOP %d %d", n, lines).isEqualTo(direct.readBody());
                }
            }
        }
    }

    @Test
    void listingsAndCountsAreTheUpstreams() throws Exception {
        try (RawPop3Client direct = RawPop3Client.plain(upstream.port());
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(direct.readLine());
            RawPop3Client.expectOk(client.readLine());
            direct.login("alice", "secret");
            client.login("alice", "secret");
            assertThat(client.command("STAT")).isEqualTo(direct.command("STAT"));
            for (String command : List.of("LIST", "UIDL")) {
                RawPop3Client.expectOk(direct.command(command));
                RawPop3Client.expectOk(client.command(command));
                assertThat(client.readBody()).as(command).isEqualTo(direct.readBody());
            }
            assertThat(client.command("LIST 3")).isEqualTo(direct.command("LIST 3"));
            assertThat(client.command("UIDL 2")).isEqualTo(direct.command("UIDL 2"));
            assertThat(client.command("RETR 99")).isEqualTo(direct.command("RETR 99")).startsWith("-ERR");
        }
    }

    private static byte[] withFinalCrlf(byte[] message) {
        if (message.length > 0 && message[message.length - 1] == '\n') {
            return message;
        }
        byte[] completed = java.util.Arrays.copyOf(message, message.length + 2);
        completed[message.length] = '\r';
        completed[message.length + 1] = '\n';
        return completed;
    }
}
