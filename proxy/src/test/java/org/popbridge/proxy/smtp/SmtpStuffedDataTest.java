package org.popbridge.proxy.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.dataWire;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.relay;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.repeat;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.upstreamWire;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cut;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.smtp.SmtpCodecFixtures.DataForm;
import org.popbridge.proxy.smtp.SmtpCodecFixtures.Relayed;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * The message after 354 relayed unread (RFC 5321 sections 4.1.1.4 and 4.5.2): the decoder passes
 * the client's stuffed octets on as {@link MessageChunk#asSent as-sent} chunks, and the server gets, through
 * {@link org.popbridge.proxy.upstream.smtp.SmtpClientEncoder}, exactly what unstuffing and
 * stuffing again would have sent it, at every split of the input.
 */
class SmtpStuffedDataTest {

    private static final String DATA = "DATA\r\n";
    private static final String QUIT = "QUIT\r\n";

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private Relayed stuffed(List<String> reads, boolean late) {
        return relay(allocator, reads, DataForm.STUFFED, late);
    }

    private void assertRelayed(List<String> reads, String content, String description) {
        Relayed expected = new Relayed(upstreamWire(content), true, content.length());
        assertThat(stuffed(reads, false)).as("354 at once, %s", description).isEqualTo(expected);
        assertThat(stuffed(reads, true)).as("354 late, %s", description).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.smtp.SmtpCodecFixtures#trickyMessages")
    void theServerGetsTheStuffedMessageAtEverySplit(String content) {
        String wire = DATA + dataWire(content) + QUIT;
        assertRelayed(List.of(wire), content, "in one piece");
        assertRelayed(byteByByte(wire), content, "byte by byte");
        everySplit(wire).forEach(reads ->
                assertRelayed(reads, content, "split at " + reads.get(0).length() + " of " + visible(wire)));
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.smtp.SmtpCodecFixtures#shortTrickyMessages")
    void theServerGetsTheStuffedMessageWhenCutInThreeAnywhere(String content) {
        String wire = DATA + dataWire(content) + QUIT;
        Relayed expected = new Relayed(upstreamWire(content), true, content.length());
        everyCutInThree(wire).forEach(pieces ->
                assertThat(stuffed(pieces, false)).as("%s of %s", cutPoints(pieces), visible(wire))
                        .isEqualTo(expected));
    }

    @Test
    void aWellStuffedMessageGoesOnAsTheClientSentIt() {
        // Stuffed ".." at the start of a read, a read ending after the CRLF before a ".", after
        // the first "." of "..", inside "\r\n.\r\n", and a lone "." line (stuffed) at the end.
        String data = "a\r\n..b\r\n..\r\n.\r\n";
        String wire = DATA + data + QUIT;
        int at = DATA.length();
        int[][] cuts = {
            {at + 3}, {at + 4}, {at + 3, at + 4}, {at + 4, at + 5}, {at + 8}, {at + 9}, {at + 8, at + 10},
            {at + 12}, {at + 13}, {at + 14}, {at + 12, at + 13, at + 14, at + 15},
        };
        for (int[] points : cuts) {
            assertThat(stuffed(cut(wire, points), false)).as("cut at %s", java.util.Arrays.toString(points))
                    .isEqualTo(new Relayed(data, true, "a\r\n.b\r\n.\r\n".length()));
        }
    }

    /** Stuffing a client got wrong: what the server gets is what it would get through unstuffing, never the client's octets. */
    static Stream<String> sloppyData() {
        return Stream.of(
                ".unstuffed\r\n.\r\n",
                "a\r\n.x\r\n.\r\n",
                "a\r\n.\rx\r\n.\r\n",
                "a\r\n.\r\r\n.\r\n",
                "a\r\n.\n.\r\n.\r\n",
                "a\n.\r\n.\r\n",
                "a\n..\r\n.\r\n",
                "a\n.b\n.\n\r\n.\r\n",
                "\n.\r\n.\r\n",
                "a\r\r\n..\r\n.\r\n",
                "a\r\n..\n.x\r\n.\r\n");
    }

    @ParameterizedTest
    @MethodSource("sloppyData")
    void sloppyStuffingReachesTheServerAsUnstuffingAndStuffingAgainWouldSendIt(String data) {
        String wire = DATA + data + QUIT;
        List<List<String>> readings = new ArrayList<>(everySplit(wire).toList());
        readings.add(byteByByte(wire));
        for (List<String> reads : readings) {
            Relayed unstuffed = relay(allocator, reads, DataForm.UNSTUFFED, false);
            assertThat(unstuffed.ended()).isTrue();
            assertThat(stuffed(reads, false)).as("reads %s", reads.stream().map(r -> visible(r)).toList())
                    .isEqualTo(unstuffed);
            assertThat(stuffed(reads, true)).as("354 late").isEqualTo(unstuffed);
        }
    }

    @Test
    void aBareLfBeforeADotCannotEndTheMessageAtTheServer() {
        // SMTP smuggling (CVE-2023-51764): a server that takes "\n.\r\n" for the end must still see content.
        Relayed relayed = stuffed(List.of(DATA + "a\n.\r\nMAIL FROM:<x>\r\n.\r\n" + QUIT), false);
        assertThat(relayed).isEqualTo(new Relayed("a\n..\r\nMAIL FROM:<x>\r\n.\r\n", true, "a\n.\r\nMAIL FROM:<x>\r\n".length()));
    }

    @Test
    void aReadOfWellStuffedDataIsOneSliceOfTheReceivedMemory() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        channel.writeInbound(allocator.copyOf(DATA));
        assertThat((Object) channel.readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectStuffedMessage();
        StringBuilder message = new StringBuilder("Subject: slices\r\n\r\n");
        for (int line = 0; line < 64; line++) {
            message.append(line % 16 == 3 ? ".." : "").append(repeat('x', 60)).append("\r\n");
        }
        ByteBuf received = allocator.copyOf(message + ".\r\n");
        channel.writeInbound(received);
        MessageChunk chunk = channel.readInbound();
        try {
            assertThat(chunk.stuffed()).isTrue();
            assertThat(latin1(chunk.content())).isEqualTo(message.toString());
            assertThat(chunk.content().array()).as("the chunk shares the received memory").isSameAs(received.array());
        } finally {
            chunk.release();
        }
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMessage.INSTANCE);
        assertThat(decoder.messageOctets()).as("stuffing dots not counted").isEqualTo(message.length() - 4);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aClientGoneMidMessageNeverGivesTheServerAnEnd() {
        String[][] cases = {
            {"", ""},
            {"Subject: x\r\n", "Subject: x\r\n"},
            {"Subject: x\r\n.", "Subject: x\r\n"},
            {"Subject: x\r\n.\r", "Subject: x\r\n"},
            {"Subject: x\r\n..", "Subject: x\r\n.."},
            {"a\r\n..\r\n", "a\r\n..\r\n"},
            {"a\r\n..\r\n.", "a\r\n..\r\n"},
            {"partial", "partial"},
            {"a\r\n.\n", "a\r\n\n"},
        };
        for (String[] c : cases) {
            String wire = DATA + c[0];
            for (List<String> reads : Stream.concat(Stream.of(byteByByte(wire)), everySplit(wire)).toList()) {
                for (boolean late : List.of(false, true)) {
                    Relayed relayed = stuffed(reads, late);
                    assertThat(relayed.ended()).as(visible(c[0])).isFalse();
                    assertThat(relayed.upstream()).as("what the server got of %s", visible(c[0])).isEqualTo(c[1]);
                }
            }
        }
    }

    @Test
    void twoMessagesInOneReadEachGetTheirEndAndTheCommandsBetweenAreCommands() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        List<Object> events = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof MessageChunk chunk && chunk.stuffed()) {
                    events.add(latin1(chunk.content()));
                    chunk.release();
                    return;
                }
                events.add(msg);
                if (msg instanceof SmtpCommand command && command.keyword().equals("DATA")) {
                    decoder.expectStuffedMessage();
                }
            }
        });
        channel.writeInbound(allocator.copyOf("DATA\r\none\r\n.\r\nMAIL FROM:<a>\r\nDATA\r\n..two\r\n.\r\nQUIT\r\n"));
        assertThat(events).containsExactly(new SmtpCommand("DATA"), "one\r\n", EndOfMessage.INSTANCE,
                new SmtpCommand("MAIL FROM:<a>"), new SmtpCommand("DATA"), "..two\r\n", EndOfMessage.INSTANCE,
                new SmtpCommand("QUIT"));
        assertThat(decoder.messageOctets()).as("reset for the second message").isEqualTo(".two\r\n".length());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aLongMessageIsStreamedHoldingAtMostAnUndecidedDot() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        channel.writeInbound(allocator.copyOf(DATA));
        assertThat((Object) channel.readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectStuffedMessage();

        long maxHeld = 0;
        long passedOn = 0;
        // Every read ends after the first "." of a stuffed "..", which the next read completes:
        // what arrived before the held "." must not be kept for it.
        String piece = ".0123456789abcdef\r\n.";
        channel.writeInbound(allocator.copyOf("."));
        for (int i = 0; i < 20_000; i++) {
            channel.writeInbound(allocator.copyOf(piece));
            MessageChunk chunk;
            while ((chunk = channel.readInbound()) != null) {
                assertThat(chunk.stuffed()).isTrue();
                passedOn += chunk.content().readableBytes();
                chunk.release();
            }
            maxHeld = Math.max(maxHeld, allocator.heldCapacity());
        }
        channel.writeInbound(allocator.copyOf(".x\r\n.\r\n"));
        MessageChunk last = channel.readInbound();
        assertThat(last.stuffed()).isTrue();
        assertThat(latin1(last.content())).isEqualTo("..x\r\n");
        passedOn += last.content().readableBytes();
        last.release();
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMessage.INSTANCE);
        assertThat(passedOn).as("each read passes on the \".\" held before it, not its own last one")
                .isEqualTo(20_000L * piece.length() + "..x\r\n".length());
        assertThat(decoder.messageOctets()).isEqualTo(20_000L * (piece.length() - 1) + ".x\r\n".length());
        assertThat(maxHeld).as("octets held while 400,000 arrived").isLessThanOrEqualTo(256);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theFormIsChosenPerMessage() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        channel.writeInbound(allocator.copyOf("DATA\r\n"));
        assertThat((Object) channel.readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectStuffedMessage();
        channel.writeInbound(allocator.copyOf("..a\r\n.\r\nDATA\r\n..b\r\n.\r\n"));
        MessageChunk first = channel.readInbound();
        assertThat(first.stuffed()).isTrue();
        assertThat(latin1(first.content())).isEqualTo("..a\r\n");
        first.release();
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMessage.INSTANCE);
        assertThat((Object) channel.readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectMessage();
        MessageChunk second = channel.readInbound();
        assertThat(second.stuffed()).isFalse();
        assertThat(latin1(second.content())).isEqualTo(".b\r\n");
        second.release();
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMessage.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
