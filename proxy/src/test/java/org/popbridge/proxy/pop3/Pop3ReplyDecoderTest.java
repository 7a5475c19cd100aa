package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.pop3.CodecFixtures.asDelivered;
import static org.popbridge.proxy.pop3.CodecFixtures.drainReplies;
import static org.popbridge.proxy.pop3.CodecFixtures.eightBitOctets;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineEvents;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineWire;
import static org.popbridge.proxy.pop3.CodecFixtures.repeat;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cut;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.visible;
import static org.popbridge.proxy.testing.CodecInput.writeInbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.pop3.CodecFixtures.Body;
import org.popbridge.proxy.pop3.CodecFixtures.ScriptedFraming;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;

class Pop3ReplyDecoderTest {

    private static final StatusLine RETR_OK = StatusLine.ok("message follows");
    private static final StatusLine NEXT = StatusLine.ok("2 messages (320 octets)");
    private static final String RETR_OK_WIRE = "+OK message follows\r\n";
    private static final String NEXT_WIRE = "+OK 2 messages (320 octets)\r\n";

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    /** Decodes the pieces on a fresh channel and closes it; returns everything passed on. */
    private List<Object> decode(ReplyFraming framing, List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(framing));
        writeInbound(channel, allocator, pieces);
        channel.finish();
        List<Object> events = drainReplies(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    // ---- single-line replies

    @Test
    void singleLineRepliesAtEverySplit() {
        String wire = "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n-ERR [AUTH] invalid\r\n+ \r\n+ dGVzdA==\r\n+OK\r\n-ERR\n";
        List<Object> expected = List.of(
                StatusLine.ok("POP3 ready <1896.697170952@dbc.mtview.ca.us>"),
                StatusLine.err("[AUTH] invalid"),
                new StatusLine(StatusLine.Status.CONTINUATION, ""),
                new StatusLine(StatusLine.Status.CONTINUATION, "dGVzdA=="),
                StatusLine.ok(""),
                StatusLine.err(""));
        assertThat(decode(new ScriptedFraming(false, false, false, false, false, false), byteByByte(wire))).isEqualTo(expected);
        everySplit(wire).forEach(pieces -> assertThat(
                decode(new ScriptedFraming(false, false, false, false, false, false), pieces))
                .as("split at %d", pieces.get(0).length()).isEqualTo(expected));
    }

    @Test
    void statusTextKeepsEightBitOctets() {
        String text = "Gr\u00fc\u00dfe " + eightBitOctets();
        assertThat(decode(new ScriptedFraming(false), List.of("+OK " + text + "\r\n"))).containsExactly(StatusLine.ok(text));
    }

    @Test
    void errToAMultilineCommandIsSingleLine() {
        String wire = "-ERR no such message\r\n" + NEXT_WIRE;
        everySplit(wire).forEach(pieces -> assertThat(decode(new ScriptedFraming(true, false), pieces))
                .containsExactly(StatusLine.err("no such message"), NEXT));
    }

    @Test
    void continuationToAMultilineCommandIsSingleLine() {
        assertThat(decode(new ScriptedFraming(true, false), List.of("+ \r\n" + NEXT_WIRE)))
                .containsExactly(new StatusLine(StatusLine.Status.CONTINUATION, ""), NEXT);
    }

    // ---- multi-line bodies

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void bodyIsDeliveredExactlyAtEverySplit(String original) {
        String wire = RETR_OK_WIRE + multilineWire(original) + NEXT_WIRE;
        List<Object> expected = new ArrayList<>(multilineEvents(RETR_OK, asDelivered(original)));
        expected.add(NEXT);

        assertThat(decode(new ScriptedFraming(true, false), List.of(wire))).as("in one piece").isEqualTo(expected);
        assertThat(decode(new ScriptedFraming(true, false), byteByByte(wire))).as("byte by byte").isEqualTo(expected);
        everySplit(wire).forEach(pieces -> assertThat(decode(new ScriptedFraming(true, false), pieces))
                .as("split at %d of %s", pieces.get(0).length(), visible(wire)).isEqualTo(expected));
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#shortTrickyBodies")
    void bodyIsDeliveredExactlyWhenCutInThreeAnywhere(String original) {
        String wire = RETR_OK_WIRE + multilineWire(original) + NEXT_WIRE;
        List<Object> expected = new ArrayList<>(multilineEvents(RETR_OK, asDelivered(original)));
        expected.add(NEXT);
        everyCutInThree(wire).forEach(pieces ->
                assertThat(decode(new ScriptedFraming(true, false), pieces))
                        .as("%s of %s", cutPoints(pieces), visible(wire)).isEqualTo(expected));
    }

    @Test
    void awkwardCutsAroundTheTerminatorAndAStuffedDot() {
        // "a\r\n..b\r\n.\r\n": cut inside the stuffed "..", inside "\r\n.\r\n", and just before it.
        String wire = RETR_OK_WIRE + "a\r\n..b\r\n.\r\n" + NEXT_WIRE;
        int body = RETR_OK_WIRE.length();
        List<Object> expected = List.of(RETR_OK, new Body("a\r\n.b\r\n"), EndOfMultiline.INSTANCE, NEXT);
        int[][] cuts = {
            {body + 4}, {body + 3, body + 4}, {body + 4, body + 5},
            {body + 7}, {body + 8}, {body + 9}, {body + 10}, {body + 7, body + 8, body + 9, body + 10},
        };
        for (int[] points : cuts) {
            assertThat(decode(new ScriptedFraming(true, false), cut(wire, points))).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void bodyRelayedAsSentKeepsItsStuffingAtEverySplit(String original) {
        String stuffed = multilineWire(original);
        String wire = RETR_OK_WIRE + stuffed + NEXT_WIRE;
        List<Object> expected = new ArrayList<>(multilineEvents(RETR_OK, stuffed.substring(0, stuffed.length() - 3)));
        expected.add(NEXT);

        assertThat(decodeAsSent(List.of(wire))).as("in one piece").isEqualTo(expected);
        assertThat(decodeAsSent(byteByByte(wire))).as("byte by byte").isEqualTo(expected);
        everySplit(wire).forEach(pieces -> assertThat(decodeAsSent(pieces))
                .as("split at %d of %s", pieces.get(0).length(), visible(wire)).isEqualTo(expected));
    }

    @Test
    void bodyRelayedAsSentComesInOneChunkPerRead() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(ScriptedFraming.asSent(true)));
        channel.writeInbound(allocator.copyOf(RETR_OK_WIRE + "a\r\n..b\r\n...\r\nc\r\n"));
        assertThat((Object) channel.readInbound()).isEqualTo(RETR_OK);
        ContentChunk chunk = channel.readInbound();
        try {
            assertThat(chunk.stuffed()).isTrue();
            assertThat(CodecInput.latin1(chunk.content())).isEqualTo("a\r\n..b\r\n...\r\nc\r\n");
        } finally {
            chunk.release();
        }
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /**
     * A handler that reads only the start of a body (the filters, the header block) takes the
     * rest as sent from the next read on: the chunks before are unstuffed, those after still
     * stuffed, and the encoder turns the mix back into exactly the octets the server sent.
     */
    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void aBodyWhoseReaderIsDoneGoesOnAsSentFromTheNextRead(String original) {
        String wire = RETR_OK_WIRE + multilineWire(original) + NEXT_WIRE;
        for (int split = RETR_OK_WIRE.length(); split <= wire.length(); split++) {
            SwitchingFraming framing = new SwitchingFraming();
            EmbeddedChannel decoder = channel(allocator, new Pop3ReplyDecoder(framing));
            EmbeddedChannel encoder = channel(allocator, new Pop3ReplyEncoder());
            decoder.writeInbound(allocator.copyOf(wire.substring(0, split)));
            String before = reencode(decoder, encoder, false);
            framing.readerDone = true;
            decoder.writeInbound(allocator.copyOf(wire.substring(split)));
            decoder.finish();
            String after = reencode(decoder, encoder, true);
            assertThat(before + after).as("split at %d of %s", split, visible(wire)).isEqualTo(wire);
            assertThat(decoder.finishAndReleaseAll()).isFalse();
            assertThat(encoder.finishAndReleaseAll()).isFalse();
        }
    }

    /** Passes what the decoder produced through the encoder; every chunk must be {@code stuffed} or not. */
    private static String reencode(EmbeddedChannel decoder, EmbeddedChannel encoder, boolean stuffed) {
        for (Object msg; (msg = decoder.readInbound()) != null; ) {
            if (msg instanceof ContentChunk chunk) {
                assertThat(chunk.stuffed()).as("chunk still dot-stuffed").isEqualTo(stuffed);
            }
            encoder.writeOutbound(msg);
        }
        StringBuilder octets = new StringBuilder();
        for (ByteBuf buf; (buf = encoder.readOutbound()) != null; ) {
            try {
                octets.append(CodecInput.latin1(buf));
            } finally {
                buf.release();
            }
        }
        return octets.toString();
    }

    /** RETR, then a one-line reply; the RETR's body goes as sent once its reader says it is done. */
    private static final class SwitchingFraming implements ReplyFraming {
        private int replies;
        boolean readerDone;

        @Override
        public boolean awaitingReply() {
            return replies < 2;
        }

        @Override
        public boolean isMultiline(StatusLine.Status status) {
            return replies++ == 0 && status == StatusLine.Status.OK;
        }

        @Override
        public boolean bodyAsSent() {
            return readerDone;
        }
    }

    /** As {@link #decode}, for a reply relayed as sent: every chunk must say it is still stuffed. */
    private List<Object> decodeAsSent(List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(ScriptedFraming.asSent(true, false)));
        writeInbound(channel, allocator, pieces);
        channel.finish();
        List<Object> events = drainReplies(channel, true);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    @Test
    void pipelinedMultilineRepliesInOneBuffer() {
        String wire = "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n+OK\r\n..leading dot\r\n.\r\n-ERR gone\r\n+OK\r\n.\r\n";
        List<Object> expected = List.of(
                StatusLine.ok("2 messages"), new Body("1 120\r\n2 200\r\n"), EndOfMultiline.INSTANCE,
                StatusLine.ok(""), new Body(".leading dot\r\n"), EndOfMultiline.INSTANCE,
                StatusLine.err("gone"),
                StatusLine.ok(""), EndOfMultiline.INSTANCE);
        everySplit(wire).forEach(pieces -> assertThat(decode(new ScriptedFraming(true, true, true, true), pieces))
                .as("split at %d", pieces.get(0).length()).isEqualTo(expected));
    }

    @Test
    void unstuffedDotLineFromASloppyServerLosesOnlyItsFirstDot() {
        // RFC 1939 section 3: a line starting with "." not followed by CRLF has its first octet stripped.
        String wire = RETR_OK_WIRE + ".\rx\r\n.abc\r\n.\r\n";
        everySplit(wire).forEach(pieces -> assertThat(decode(new ScriptedFraming(true), pieces))
                .containsExactly(RETR_OK, new Body("\rx\r\nabc\r\n"), EndOfMultiline.INSTANCE));
    }

    @Test
    void bodyChunksAreSlicesOfTheInputNotCopies() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true)));
        String body = repeat('m', 4000) + "\r\n";
        ByteBuf received = allocator.copyOf(RETR_OK_WIRE + body + ".\r\n");
        channel.writeInbound(received);
        assertThat((Object) channel.readInbound()).isEqualTo(RETR_OK);
        ContentChunk chunk = channel.readInbound();
        try {
            assertThat(CodecInput.latin1(chunk.content())).isEqualTo(body);
            // A body must not be copied on its way through: the chunk shares the received memory.
            assertThat(chunk.content().array()).isSameAs(received.array());
        } finally {
            chunk.release();
        }
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMultiline.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- invariant 2: no truncated message looks complete

    @Test
    void upstreamClosingMidBodyNeverProducesAnEnd() {
        String[] truncations = {"", "Subject: x\r\n", "Subject: x\r\n.", "Subject: x\r\n.\r", "Subject: x\r\n..", "partial line", "a\r\n..\r\n"};
        for (String truncated : truncations) {
            String wire = RETR_OK_WIRE + truncated;
            everySplit(wire).forEach(pieces -> {
                List<Object> events = decode(new ScriptedFraming(true), pieces);
                assertThat(events).as("%s split at %d", visible(wire), pieces.get(0).length())
                        .doesNotContain(EndOfMultiline.INSTANCE)
                        .startsWith(RETR_OK);
                // What did arrive is passed on exactly, apart from a dot still undecided at the close.
                String delivered = events.size() > 1 ? ((Body) events.get(1)).latin1() : "";
                assertThat(delivered).isEqualTo(deliveredBeforeClose(truncated));
            });
        }
    }

    /** What a truncated body delivered: its unstuffed octets, without a trailing undecided "." or ".\r". */
    private static String deliveredBeforeClose(String truncated) {
        return switch (truncated) {
            case "" -> "";
            case "Subject: x\r\n", "Subject: x\r\n.", "Subject: x\r\n.\r" -> "Subject: x\r\n";
            case "Subject: x\r\n.." -> "Subject: x\r\n.";
            case "partial line" -> "partial line";
            case "a\r\n..\r\n" -> "a\r\n.\r\n";
            default -> throw new IllegalArgumentException(truncated);
        };
    }

    @Test
    void upstreamClosingOneOctetBeforeTheEndOfTheTerminatorProducesNoEnd() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true)));
        writeInbound(channel, allocator, List.of(RETR_OK_WIRE + "body\r\n.\r"));
        channel.close();
        assertThat(drainReplies(channel)).containsExactly(RETR_OK, new Body("body\r\n"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- protocol violations

    /** After a refusal the close decodes nothing and raises nothing again; the buffers must still be freed. */
    private static void closeAfterProtocolError(EmbeddedChannel channel) {
        assertThat(channel.finishAndReleaseAll()).as("nothing decoded after the refusal").isFalse();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void replyWhenNoneIsAwaitedIsADecoderException() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(false)));
        assertThatThrownBy(() -> channel.writeInbound(allocator.copyOf("+OK fine\r\n+OK surprise\r\n")))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("nobody asked for");
        assertThat((Object) channel.readInbound()).as("the awaited reply still got through").isEqualTo(StatusLine.ok("fine"));
        assertThat((Object) channel.readInbound()).isNull();
        closeAfterProtocolError(channel);
    }

    @Test
    void lineWithoutStatusIndicatorIsADecoderException() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(false)));
        assertThatThrownBy(() -> channel.writeInbound(allocator.copyOf("* OK IMAP4rev1 ready\r\n")))
                .isInstanceOf(DecoderException.class);
        assertThat((Object) channel.readInbound()).isNull();
        closeAfterProtocolError(channel);
    }

    @Test
    void nothingIsDecodedAfterARefusedLineNotEvenAtTheClose() {
        // Found by Pop3ReplyDecoderFuzzTest: the refused line was consumed and what followed it
        // stayed buffered, so the close decoded it, here a whole reply, from a stream out of step.
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true, true)));
        assertThatThrownBy(() -> channel.writeInbound(allocator.copyOf("* OK IMAP4rev1 ready\r\n+OK\r\nforged\r\n.\r\n")))
                .isInstanceOf(DecoderException.class);
        channel.writeInbound(allocator.copyOf("+OK\r\n"));
        channel.finish();
        assertThat(drainReplies(channel)).isEmpty();
        closeAfterProtocolError(channel);
    }

    @Test
    void statusLineOverTheLimitIsADecoderException() {
        int limit = 64;
        String fits = "+OK " + repeat('f', limit - 4 - 2);       // 64 octets with CRLF
        String tooLong = "+OK " + repeat('t', limit - 4 - 1);    // 65 octets with CRLF

        EmbeddedChannel ok = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(false), limit));
        writeInbound(ok, allocator, List.of(fits + "\r\n"));
        assertThat((Object) ok.readInbound()).isEqualTo(StatusLine.parse(fits));
        assertThat(ok.finishAndReleaseAll()).isFalse();

        EmbeddedChannel refused = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(false), limit));
        assertThatThrownBy(() -> refused.writeInbound(allocator.copyOf(tooLong + "\r\n")))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("longer than 64");
        assertThat((Object) refused.readInbound()).isNull();
        closeAfterProtocolError(refused);
    }

    @Test
    void endlessStatusLineIsRefusedBeforeItFillsMemory() {
        int limit = 64;
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(false), limit));
        writeInbound(channel, allocator, List.of("+OK ", repeat('x', limit - 4)));   // exactly the limit, no LF yet
        assertThatThrownBy(() -> channel.writeInbound(allocator.copyOf(repeat('x', 10))))
                .isInstanceOf(DecoderException.class);
        assertThat((Object) channel.readInbound()).isNull();
        closeAfterProtocolError(channel);
    }

    // ---- STLS to the upstream

    @Test
    void bytesAfterTheStlsReplyAreDiscardedWhenTheSessionAsks() {
        ScriptedFraming framing = new ScriptedFraming(false);
        Pop3ReplyDecoder decoder = new Pop3ReplyDecoder(framing);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                decoder.discardBufferedInput();
            }
        });
        // A man in the middle appends a forged reply to the cleartext +OK.
        writeInbound(channel, allocator, List.of("+OK Begin TLS\r\n+OK 0 messages\r\n.\r\n"));
        assertThat(seen).containsExactly(StatusLine.ok("Begin TLS"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
