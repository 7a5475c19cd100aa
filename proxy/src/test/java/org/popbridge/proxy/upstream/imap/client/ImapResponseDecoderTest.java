package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.visible;
import static org.popbridge.proxy.testing.CodecInput.writeInbound;
import static org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.allOctets;
import static org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.drain;
import static org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.line;
import static org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.lineWithLiteral;
import static org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.tail;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;
import org.popbridge.proxy.upstream.imap.client.ImapCodecFixtures.Literal;

class ImapResponseDecoderTest {

    private static final String DONE_WIRE = "A9 OK FETCH completed.\r\n";
    private static final ResponseLine DONE = line("A9 OK FETCH completed.");

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private List<Object> decode(List<String> pieces) {
        return decode(new ImapResponseDecoder(), pieces);
    }

    /** Decodes the pieces on a fresh channel and closes it; returns everything passed on. */
    private List<Object> decode(ImapResponseDecoder decoder, List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, pieces);
        channel.finish();
        List<Object> events = drain(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    private void assertEverySplit(String wire, List<Object> expected) {
        assertThat(decode(List.of(wire))).as("in one piece").isEqualTo(expected);
        assertThat(decode(byteByByte(wire))).as("byte by byte").isEqualTo(expected);
        everySplit(wire).forEach(pieces -> assertThat(decode(pieces))
                .as("split at %d of %s", pieces.get(0).length(), visible(wire)).isEqualTo(expected));
    }

    // ---- responses without literals

    @Test
    void everyKindOfResponseLineAtEverySplit() {
        String wire = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot ready.\r\n"
                + "A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in\r\n"
                + "* 172 EXISTS\r\n"
                + "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
                + "+ Ready for literal data\r\n"
                + "+\r\n"
                + "+ \r\n"
                + "A2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                + "A3 BAD Error in IMAP command: Unknown command\r\n"
                + "* 3 EXPUNGE\n"
                + "* BYE Logging out\r\n";
        assertEverySplit(wire, List.of(
                line("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot ready."),
                line("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in"),
                line("* 172 EXISTS"),
                line("* OK [UIDVALIDITY 3857529045] UIDs valid"),
                line("+ Ready for literal data"),
                line("+"),
                line("+ "),
                line("A2 NO [AUTHENTICATIONFAILED] Authentication failed."),
                line("A3 BAD Error in IMAP command: Unknown command"),
                line("* 3 EXPUNGE"),
                line("* BYE Logging out")));
    }

    @Test
    void lineTextKeepsEightBitOctets() {
        String text = "* OK Gr\u00fc\u00dfe " + allOctets().substring(0x80);
        assertThat(decode(List.of(text + "\r\n"))).containsExactly(line(text));
    }

    @Test
    void bracesThatAreNotAnAnnouncementAreText() {
        assertThat(decode(List.of("* OK [ALERT] use {abc}\r\n* OK }\r\n* OK {\r\n")))
                .containsExactly(line("* OK [ALERT] use {abc}"), line("* OK }"), line("* OK {"));
    }

    // ---- literals

    @Test
    void fetchWithABodyLiteralAtEverySplit() {
        String body = "Subject: hi\r\n\r\nbody\r\n";
        String wire = "* 12 FETCH (UID 7 RFC822.SIZE 21 BODY[] {21}\r\n" + body + ")\r\n" + DONE_WIRE;
        assertEverySplit(wire, List.of(
                lineWithLiteral("* 12 FETCH (UID 7 RFC822.SIZE 21 BODY[] {21}", 21, false),
                new Literal(body),
                LiteralEnd.INSTANCE,
                tail(")"),
                DONE));
    }

    @Test
    void twoLiteralsInOneResponseAtEveryPairOfSplits() {
        // The first literal holds what would look like a response end and an announcement.
        String header = "X: )\r\n{5}\r\n\r\n";
        String binary = "\0\r\n\u00ff)";
        String wire = "* 1 FETCH (UID 7 BODY[HEADER] {13}\r\n" + header + " BINARY[]<0> ~{5}\r\n" + binary + " FLAGS (\\Seen))\r\n"
                + DONE_WIRE;
        List<Object> expected = List.of(
                lineWithLiteral("* 1 FETCH (UID 7 BODY[HEADER] {13}", 13, false),
                new Literal(header),
                LiteralEnd.INSTANCE,
                lineWithLiteral(" BINARY[]<0> ~{5}", 5, true),
                new Literal(binary),
                LiteralEnd.INSTANCE,
                tail(" FLAGS (\\Seen))"),
                DONE);
        assertThat(decode(byteByByte(wire))).isEqualTo(expected);
        everyCutInThree(wire).forEach(pieces ->
                assertThat(decode(pieces)).as("%s", cutPoints(pieces)).isEqualTo(expected));
    }

    @Test
    void emptyLiteralsHaveAnEndButNoChunk() {
        String wire = "* 1 FETCH (BODY[1] {0}\r\n BODY[2] {0}\r\n)\r\n* 2 FETCH (BODY[] {0}\r\n)\r\n" + DONE_WIRE;
        assertEverySplit(wire, List.of(
                lineWithLiteral("* 1 FETCH (BODY[1] {0}", 0, false),
                LiteralEnd.INSTANCE,
                lineWithLiteral(" BODY[2] {0}", 0, true),
                LiteralEnd.INSTANCE,
                tail(")"),
                lineWithLiteral("* 2 FETCH (BODY[] {0}", 0, false),
                LiteralEnd.INSTANCE,
                tail(")"),
                DONE));
    }

    @Test
    void literalOctetsAreNeverParsed() {
        String octets = "a\r\n)\r\n{5}\r\nA9 OK fake\r\n* 1 EXISTS\r\n~{3}\r\n" + allOctets();
        String wire = "* 4 FETCH (BODY[] {" + octets.length() + "}\r\n" + octets + " UID 9)\r\n" + DONE_WIRE;
        assertEverySplit(wire, List.of(
                lineWithLiteral("* 4 FETCH (BODY[] {" + octets.length() + "}", octets.length(), false),
                new Literal(octets),
                LiteralEnd.INSTANCE,
                tail(" UID 9)"),
                DONE));
    }

    @Test
    void literalsInALoginContinuationAndAListResponse() {
        // A literal may sit anywhere in a response, not only in FETCH (RFC 9051 section 4.3).
        String wire = "* LIST () \"/\" {8}\r\nfoo\r\nbar\r\n* 3 FETCH (ENVELOPE (\"d\" {2}\r\nhi NIL))\r\n";
        assertEverySplit(wire, List.of(
                lineWithLiteral("* LIST () \"/\" {8}", 8, false),
                new Literal("foo\r\nbar"),
                LiteralEnd.INSTANCE,
                tail(""),
                lineWithLiteral("* 3 FETCH (ENVELOPE (\"d\" {2}", 2, false),
                new Literal("hi"),
                LiteralEnd.INSTANCE,
                tail(" NIL))")));
    }

    @Test
    void largestLiteralSizeIsAccepted() {
        String wire = "* 1 FETCH (BODY[] {9223372036854775807}\r\nabc";
        assertThat(decode(List.of(wire))).containsExactly(
                lineWithLiteral("* 1 FETCH (BODY[] {9223372036854775807}", Long.MAX_VALUE, false), new Literal("abc"));
    }

    @Test
    void literalCutShortByTheServerNeverEnds() {
        // Invariant 2: a FETCH whose connection dies mid-literal must not look complete.
        String wire = "* 1 FETCH (BODY[] {10}\r\n12345";
        everySplit(wire).forEach(pieces -> {
            List<Object> events = decode(pieces);
            assertThat(events).doesNotContain(LiteralEnd.INSTANCE);
            assertThat(events.get(0)).isEqualTo(lineWithLiteral("* 1 FETCH (BODY[] {10}", 10, false));
        });
    }

    @Test
    void chunksAreSlicesOfTheReceivedBuffer() {
        EmbeddedChannel channel = channel(allocator, new ImapResponseDecoder());
        String octets = "m".repeat(4000);
        ByteBuf received = allocator.copyOf("* 1 FETCH (BODY[] {4000}\r\n" + octets + ")\r\n");
        channel.writeInbound(received);
        assertThat((Object) channel.readInbound()).isEqualTo(lineWithLiteral("* 1 FETCH (BODY[] {4000}", 4000, false));
        LiteralChunk chunk = channel.readInbound();
        try {
            assertThat(CodecInput.latin1(chunk.content())).isEqualTo(octets);
            assertThat(chunk.content().array()).isSameAs(received.array());
        } finally {
            chunk.release();
        }
        assertThat((Object) channel.readInbound()).isEqualTo(LiteralEnd.INSTANCE);
        assertThat((Object) channel.readInbound()).isEqualTo(tail(")"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tenMegabyteLiteralFlowsThroughHoldingAtMostOneInputBuffer() {
        int bufferSize = 64 * 1024;
        long literalSize = 10L * 1024 * 1024 + 12345;
        byte[] head = CodecInput.octets("* 1 FETCH (UID 7 BODY[] {" + literalSize + "}\r\n");
        byte[] end = CodecInput.octets(")\r\n" + DONE_WIRE);
        long wireLength = head.length + literalSize + end.length;
        EmbeddedChannel channel = channel(allocator, new ImapResponseDecoder());
        List<Object> lines = new ArrayList<>();
        long literalSeen = 0;
        int chunks = 0;
        int ends = 0;
        for (long offset = 0; offset < wireLength; offset += bufferSize) {
            int length = (int) Math.min(bufferSize, wireLength - offset);
            ByteBuf buffer = allocator.heapBuffer(bufferSize, bufferSize);
            for (int i = 0; i < length; i++) {
                long at = offset + i;
                buffer.writeByte(at < head.length ? head[(int) at]
                        : at < head.length + literalSize ? literalOctet(at - head.length)
                        : end[(int) (at - head.length - literalSize)]);
            }
            channel.writeInbound(buffer);
            // Everything passed on is a slice of this one buffer: nothing older is still held.
            assertThat(allocator.heldCapacity()).as("held after buffer at %d", offset).isLessThanOrEqualTo(bufferSize);
            Object msg;
            while ((msg = channel.readInbound()) != null) {
                if (msg instanceof LiteralChunk chunk) {
                    try {
                        assertThat(chunk.content().array()).isSameAs(buffer.array());
                        for (int i = 0; i < chunk.content().readableBytes(); i++) {
                            if (chunk.content().getByte(chunk.content().readerIndex() + i) != literalOctet(literalSeen + i)) {
                                throw new AssertionError("literal octet " + (literalSeen + i) + " differs");
                            }
                        }
                        literalSeen += chunk.content().readableBytes();
                        chunks++;
                    } finally {
                        chunk.release();
                    }
                } else if (msg == LiteralEnd.INSTANCE) {
                    ends++;
                } else {
                    lines.add(msg);
                }
            }
            assertThat(allocator.heldCapacity()).as("held once the chunks are released").isZero();
        }
        assertThat(literalSeen).isEqualTo(literalSize);
        assertThat(chunks).isEqualTo((int) ((wireLength + bufferSize - 1) / bufferSize));
        assertThat(ends).isEqualTo(1);
        assertThat(lines).containsExactly(
                lineWithLiteral("* 1 FETCH (UID 7 BODY[] {" + literalSize + "}", literalSize, false), tail(")"), DONE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static byte literalOctet(long index) {
        return (byte) (index * 31 + (index >>> 9));
    }

    // ---- limits and malformed input

    @Test
    void lineAtTheLimitPassesAndOneOctetMoreFails() {
        String atLimit = "* OK " + "x".repeat(11);
        assertThat(atLimit).hasSize(16);
        everySplit(atLimit + "\r\n").forEach(pieces -> assertThat(decode(new ImapResponseDecoder(16), pieces))
                .containsExactly(line(atLimit)));
        everySplit(atLimit + "y\r\n").forEach(pieces -> assertThatThrownBy(() -> decode(new ImapResponseDecoder(16), pieces))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("longer than 16 octets"));
    }

    @Test
    void overlongLineFailsBeforeItsEndArrives() {
        EmbeddedChannel channel = channel(allocator, new ImapResponseDecoder(1024));
        channel.writeInbound(allocator.copyOf("* OK " + "x".repeat(1000)));
        assertThatThrownBy(() -> channel.writeInbound(allocator.copyOf("x".repeat(100))))
                .isInstanceOf(DecoderException.class)
                .hasMessage("IMAP response line longer than 1024 octets between literals");
        // After the failure nothing more is decoded, and nothing is thrown again.
        channel.writeInbound(allocator.copyOf("\r\n* 1 EXISTS\r\n"));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theLimitAppliesToTheTextBetweenLiteralsNotToTheWholeResponse() {
        String part = "x".repeat(10);
        String wire = "* 1 FETCH (A {1}\r\nL" + part + part + " {1}\r\nL" + part + part + ")\r\n";
        assertThat(decode(new ImapResponseDecoder(24), List.of(wire))).containsExactly(
                lineWithLiteral("* 1 FETCH (A {1}", 1, false), new Literal("L"), LiteralEnd.INSTANCE,
                lineWithLiteral(part + part + " {1}", 1, true), new Literal("L"), LiteralEnd.INSTANCE,
                tail(part + part + ")"));
    }

    @Test
    void defaultLimitIs64KiB() {
        String atLimit = "* OK " + "x".repeat(64 * 1024 - 5);
        assertThat(decode(List.of(atLimit + "\r\n"))).containsExactly(line(atLimit));
        assertThatThrownBy(() -> decode(List.of(atLimit + "xx\r\n"))).isInstanceOf(DecoderException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{-1}", "{+5}", "{5+}", "{1-2}", "~{}", "{9223372036854775808}", "{99999999999999999999999}"})
    void malformedLiteralSizeFails(String announcement) {
        String wire = "* 1 FETCH (BODY[] " + announcement + "\r\nabc)\r\n";
        everySplit(wire).forEach(pieces -> assertThatThrownBy(() -> decode(pieces))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("literal size"));
    }

    @Test
    void discardBufferedInputDropsWhatArrivedBeforeTheHandshake() {
        ImapResponseDecoder decoder = new ImapResponseDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        channel.writeInbound(allocator.copyOf("A1 OK Begin TLS negotiation now\r\n* OK inject"));
        assertThat((Object) channel.readInbound()).isEqualTo(line("A1 OK Begin TLS negotiation now"));
        decoder.discardBufferedInput();
        channel.writeInbound(allocator.copyOf("ed\r\n* 1 EXISTS\r\n"));
        assertThat((Object) channel.readInbound()).isEqualTo(line("ed"));
        assertThat((Object) channel.readInbound()).isEqualTo(line("* 1 EXISTS"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardAlsoForgetsALiteralAnnouncedByInjectedLines() {
        // Found by ImapResponseDecoderFuzzTest: the decoder reads all lines of a packet at once, so
        // an announcement appended to STARTTLS's OK was decoded before the session could discard,
        // and the literal it announced swallowed the first response over TLS.
        ImapResponseDecoder decoder = new ImapResponseDecoder();
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (seen.isEmpty()) {
                    seen.add(msg);
                    decoder.discardBufferedInput();
                }
                ReferenceCountUtil.release(msg);  // what follows the OK in its packet is not trusted
            }
        });
        channel.writeInbound(allocator.copyOf("A1 OK Begin TLS negotiation now\r\n* 1 FETCH (BODY[] {100}\r\nx"));
        channel.pipeline().removeLast();

        writeInbound(channel, allocator, List.of("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"));

        assertThat(seen).containsExactly(line("A1 OK Begin TLS negotiation now"));
        assertThat(drain(channel)).containsExactly(line("* CAPABILITY IMAP4rev1 AUTH=PLAIN"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void lineLimitMustBePositive() {
        assertThatThrownBy(() -> new ImapResponseDecoder(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
