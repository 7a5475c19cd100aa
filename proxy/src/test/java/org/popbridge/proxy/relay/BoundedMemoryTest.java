package org.popbridge.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyProcess;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedImapServer;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.StreamingImapMailbox;

/**
 * Invariant 4: a 100 MB RETR to a slow client, from a POP3 or an IMAP upstream, goes
 * through a proxy whose heap and direct memory are capped far below the message size. If
 * the proxy buffered the message, it would run out of memory and the client would not get
 * the whole message.
 */
class BoundedMemoryTest {

    private static final long MESSAGE_OCTETS = 100L * 1024 * 1024;

    @TempDir
    Path stateDir;

    @Test
    void hundredMegabyteRetrToASlowClientFitsInASmallHeap() throws Exception {
        MessageSource large = MessageSource.generated(MESSAGE_OCTETS);
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of(large))) {
            retrieveThroughSmallProxy("pop3://127.0.0.1:" + upstream.port(), List.of(), wireDigest(large, null), false);
        }
    }

    /**
     * The same with the filter chain on: the header block is gathered and edited, the body
     * still streams, and LIST announces exactly the octets that arrive.
     */
    @Test
    void hundredMegabyteRetrThroughTheFilterChainFitsInASmallHeap() throws Exception {
        MessageSource large = MessageSource.generated(MESSAGE_OCTETS);
        Path config = stateDir.resolve("filters.yaml");
        Files.writeString(config, """
                filters:
                  - log: {}
                  - spam-tag:
                      threshold: 100
                      rules:
                        - { name: huge, size-above: 50MB, score: 1 }
                        - { name: sender, from-domain: [example.org], score: 1 }
                      tag: { subject-prefix: "[SPAM] " }
                  - headers:
                      add: { X-Popbridge: "filtered" }
                """);
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of(large))) {
            retrieveThroughSmallProxy("pop3://127.0.0.1:" + upstream.port(), List.of("--config", config.toString()),
                    wireDigest(large, "X-Popbridge: filtered\r\n"), true);
        }
    }

    /**
     * The same from an IMAP upstream: RETR becomes UID FETCH and the literal streams into the
     * POP3 reply, and LIST (from RFC822.SIZE) announces exactly the octets that arrive.
     */
    @Test
    void hundredMegabyteRetrFromAnImapUpstreamFitsInASmallHeap() throws Exception {
        MessageSource large = MessageSource.generated(MESSAGE_OCTETS);
        try (ScriptedImapServer upstream = StreamingImapMailbox.serve("alice", "secret", List.of(large))) {
            retrieveThroughSmallProxy("imap://127.0.0.1:" + upstream.port(), List.of(), wireDigest(large, null), true);
            assertThat(upstream.received()).as("the IMAP server was asked for the literal")
                    .anyMatch(line -> line.endsWith(" UID FETCH 1 (BODY[])"));
        }
    }

    /** RETRs message 1 of alice's maildrop at {@code upstreamUrl} through a small proxy process, slowly. */
    private void retrieveThroughSmallProxy(String upstreamUrl, List<String> options, byte[] expectedDigest,
                                           boolean checkList) throws Exception {
        ProxyProcess proxy = ProxyProcess.start(List.of(), ProxyProcess.SMALL_HEAP, arguments(upstreamUrl, options));
        try (proxy) {
            int port = proxy.port();
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long octets;
            long listed;
            try (RawPop3Client client = RawPop3Client.plain(port)) {
                RawPop3Client.expectOk(client.readLine());
                client.login("alice", "secret");
                listed = Long.parseLong(RawPop3Client.expectOk(client.command("LIST 1")).split(" ")[2]);
                RawPop3Client.expectOk(client.command("RETR 1"));
                octets = client.readBodySlowly(16 * 1024, 1, received);
                RawPop3Client.expectOk(client.command("QUIT"));
            }
            assertThat(octets).isGreaterThan(MESSAGE_OCTETS);
            assertThat(received.digest()).as("the message arrived intact").isEqualTo(expectedDigest);
            if (checkList) {
                // No body line starts with "." here, so the wire adds only the terminating ".\r\n".
                assertThat(octets).as("LIST announced the octets received").isEqualTo(listed + 3);
            }
            assertThat(proxy.process().isAlive()).as("proxy survived").isTrue();
        }
        assertThat(proxy.output()).as("proxy output").noneMatch(line -> line.contains("OutOfMemoryError"));
    }

    private List<String> arguments(String upstreamUrl, List<String> options) {
        List<String> arguments = new ArrayList<>(List.of("--listen", "pop3://127.0.0.1:0", "--upstream", upstreamUrl,
                "--state-dir", stateDir.toString()));
        arguments.addAll(options);
        return arguments;
    }

    /** The digest of the message on the wire, with {@code addedField} (if any) appended to its header block. */
    private static byte[] wireDigest(MessageSource message, String addedField) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            DotStuffing.StuffingStream stuffing = new DotStuffing.StuffingStream(new java.io.BufferedOutputStream(sink));
            message.writeTo(addedField == null ? stuffing : new FieldAppender(stuffing, addedField));
            stuffing.terminate();
            stuffing.flush();
        }
        return digest.digest();
    }

    /** Writes a field just before the blank line that ends the header block, as the headers filter adds it. */
    private static final class FieldAppender extends java.io.FilterOutputStream {
        private final byte[] field;
        private int lineEnds;
        private boolean done;

        FieldAppender(OutputStream out, String field) {
            super(out);
            this.field = field.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void write(int b) throws IOException {
            if (!done) {
                // The blank line: CRLF right after a CRLF. The field goes in before its CR.
                lineEnds = b == '\r' && lineEnds == 2 ? 3 : b == '\r' ? 1 : b == '\n' && lineEnds == 1 ? 2 : 0;
                if (lineEnds == 3) {
                    out.write(field);
                    done = true;
                }
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                out.write(b, off, len);
                return;
            }
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
