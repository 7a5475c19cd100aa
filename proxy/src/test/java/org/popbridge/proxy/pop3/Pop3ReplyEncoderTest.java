package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.pop3.CodecFixtures.asDelivered;
import static org.popbridge.proxy.pop3.CodecFixtures.drainReplies;
import static org.popbridge.proxy.pop3.CodecFixtures.eightBitOctets;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineEvents;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineWire;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;
import static org.popbridge.proxy.testing.CodecInput.writeInbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.pop3.CodecFixtures.ScriptedFraming;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;

class Pop3ReplyEncoderTest {

    private static final StatusLine RETR_OK = StatusLine.ok("message follows");
    private static final String RETR_OK_WIRE = "+OK message follows\r\n";

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    /** Encodes the status line, the body cut into chunks as given, and the end; returns the octets written. */
    private String encodeBody(StatusLine status, List<String> chunks) {
        List<Pop3Reply> replies = new ArrayList<>();
        replies.add(status);
        for (String chunk : chunks) {
            replies.add(new ContentChunk(allocator.copyOf(chunk)));
        }
        replies.add(EndOfMultiline.INSTANCE);
        return encode(replies);
    }

    private String encode(List<? extends Pop3Reply> replies) {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyEncoder());
        for (Pop3Reply reply : replies) {
            channel.writeOutbound(reply);
        }
        String written = drainWritten(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return written;
    }

    // ---- status lines

    @Test
    void statusLinesAreWrittenWithCrLf() {
        assertThat(encode(List.of(StatusLine.ok("2 messages (320 octets)")))).isEqualTo("+OK 2 messages (320 octets)\r\n");
        assertThat(encode(List.of(StatusLine.err("[IN-USE] mailbox locked")))).isEqualTo("-ERR [IN-USE] mailbox locked\r\n");
        assertThat(encode(List.of(StatusLine.ok("")))).isEqualTo("+OK\r\n");
        assertThat(encode(List.of(new StatusLine(StatusLine.Status.CONTINUATION, "")))).isEqualTo("+ \r\n");
        assertThat(encode(List.of(new StatusLine(StatusLine.Status.CONTINUATION, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+")))).isEqualTo("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n");
        String eightBit = "Gr\u00fc\u00dfe " + eightBitOctets();
        assertThat(encode(List.of(StatusLine.ok(eightBit)))).isEqualTo("+OK " + eightBit + "\r\n");
    }

    // ---- bodies

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void bodyIsStuffedExactlyWhateverTheChunking(String original) {
        String expected = RETR_OK_WIRE + multilineWire(original);

        assertThat(encodeBody(RETR_OK, List.of(original))).as("one chunk").isEqualTo(expected);
        assertThat(encodeBody(RETR_OK, byteByByte(original))).as("one chunk per octet").isEqualTo(expected);
        everySplit(original).forEach(chunks -> assertThat(encodeBody(RETR_OK, chunks))
                .as("chunks %s | %s", visible(chunks.get(0)), visible(chunks.get(1))).isEqualTo(expected));
        // The body as a client received it (last line ended) encodes to the same octets.
        everySplit(asDelivered(original)).forEach(chunks -> assertThat(encodeBody(RETR_OK, chunks)).isEqualTo(expected));
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#shortTrickyBodies")
    void bodyIsStuffedExactlyWhenCutIntoThreeChunksAnywhere(String original) {
        String expected = RETR_OK_WIRE + multilineWire(original);
        everyCutInThree(original).forEach(pieces ->
                assertThat(encodeBody(RETR_OK, pieces))
                        .as("%s of %s", cutPoints(pieces), visible(original)).isEqualTo(expected));
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void relayingWhatTheDecoderReadsReproducesTheUpstreamOctets(String original) {
        String wire = RETR_OK_WIRE + multilineWire(original) + "+OK bye\r\n";
        everySplit(wire).forEach(pieces -> {
            EmbeddedChannel upstream = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true, false)));
            EmbeddedChannel client = channel(allocator, new Pop3ReplyEncoder());
            for (String piece : pieces) {
                upstream.writeInbound(allocator.copyOf(piece));
                Object reply;
                while ((reply = upstream.readInbound()) != null) {
                    client.writeOutbound(reply);
                }
            }
            assertThat(drainWritten(client)).as("split at %d", pieces.get(0).length()).isEqualTo(wire);
            assertThat(upstream.finishAndReleaseAll()).isFalse();
            assertThat(client.finishAndReleaseAll()).isFalse();
        });
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.pop3.CodecFixtures#trickyBodies")
    void decodingWhatTheEncoderWroteGivesTheBodyBack(String original) {
        everySplit(original).forEach(chunks -> {
            String written = encodeBody(RETR_OK, chunks);
            EmbeddedChannel reader = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true)));
            writeInbound(reader, allocator, List.of(written));
            assertThat(drainReplies(reader)).isEqualTo(multilineEvents(RETR_OK, asDelivered(original)));
            assertThat(reader.finishAndReleaseAll()).isFalse();
        });
    }

    @Test
    void bodyWithoutFinalCrLfGetsOneBeforeTheTerminator() {
        assertThat(encodeBody(RETR_OK, List.of("Subject: x\r\n\r\nno newline"))).isEqualTo(RETR_OK_WIRE + "Subject: x\r\n\r\nno newline\r\n.\r\n");
        assertThat(encodeBody(RETR_OK, List.of("a\r\n", "b"))).isEqualTo(RETR_OK_WIRE + "a\r\nb\r\n.\r\n");
        assertThat(encodeBody(RETR_OK, List.of("a\r\n", "."))).isEqualTo(RETR_OK_WIRE + "a\r\n..\r\n.\r\n");
    }

    @Test
    void emptyBodyIsOnlyTheTerminator() {
        assertThat(encodeBody(RETR_OK, List.of())).isEqualTo(RETR_OK_WIRE + ".\r\n");
    }

    @Test
    void emptyChunksWriteNothingAndDoNotFail() {
        // A filter may hand on an empty chunk; the write must succeed and add no octets.
        assertThat(encodeBody(RETR_OK, List.of("", "a\r\n", "", ".b\r\n", ""))).isEqualTo(RETR_OK_WIRE + "a\r\n..b\r\n.\r\n");
    }

    @Test
    void eachReplyStartsFresh() {
        // The first body ends mid-line; the dot starting the second body must still be stuffed.
        String written = encode(List.of(
                RETR_OK, new ContentChunk(allocator.copyOf("unterminated")), EndOfMultiline.INSTANCE,
                StatusLine.ok("x"),
                RETR_OK, new ContentChunk(allocator.copyOf(".x\r\n")), EndOfMultiline.INSTANCE));
        assertThat(written).isEqualTo(RETR_OK_WIRE + "unterminated\r\n.\r\n" + "+OK x\r\n" + RETR_OK_WIRE + "..x\r\n.\r\n");
    }

    // ---- no copies

    /** Writes one chunk after a status line and returns the buffers written for it, unreleased. */
    private List<ByteBuf> buffersWrittenFor(EmbeddedChannel channel, ByteBuf content) {
        channel.writeOutbound(RETR_OK);
        ((ByteBuf) channel.readOutbound()).release();
        channel.writeOutbound(new ContentChunk(content));
        List<ByteBuf> written = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            written.add(buf);
        }
        return written;
    }

    @Test
    void chunkWithoutADotAtALineStartIsPassedOnWithoutCopying() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyEncoder());
        ByteBuf content = allocator.copyOf("Subject: hi\r\n\r\nbody. with dots.\r\n");
        byte[] memory = content.array();
        List<ByteBuf> written = buffersWrittenFor(channel, content);
        try {
            assertThat(written).hasSize(1);
            assertThat(latin1(written.get(0))).isEqualTo("Subject: hi\r\n\r\nbody. with dots.\r\n");
            assertThat(written.get(0).array()).as("written from the chunk's own memory").isSameAs(memory);
        } finally {
            written.forEach(ByteBuf::release);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stuffedChunkIsWrittenAsSlicesAroundTheAddedDots() {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyEncoder());
        ByteBuf content = allocator.copyOf(".a\r\nb\r\n.c");
        byte[] memory = content.array();
        List<ByteBuf> written = buffersWrittenFor(channel, content);
        try {
            assertThat(written).extracting(CodecInput::latin1).containsExactly(".", ".a\r\nb\r\n", ".", ".c");
            assertThat(written.get(1).array()).isSameAs(memory);
            assertThat(written.get(3).array()).isSameAs(memory);
        } finally {
            written.forEach(ByteBuf::release);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
