package org.popbridge.proxy.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.dataWire;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.drainInputs;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.repeat;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.smtp.SmtpCodecFixtures.Content;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;

/** The message after 354 (RFC 5321 sections 4.1.1.4 and 4.5.2), as {@link SmtpCommandDecoder} streams it. */
class SmtpMessageDataTest {

    private static final String DATA = "DATA\r\n";
    private static final String QUIT = "QUIT\r\n";

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private static List<Object> expectedEvents(String content) {
        List<Object> events = new ArrayList<>();
        events.add(new SmtpCommand("DATA"));
        if (!content.isEmpty()) {
            events.add(new Content(content));
        }
        events.add(EndOfMessage.INSTANCE);
        events.add(new SmtpCommand("QUIT"));
        return events;
    }

    /** The session answers 354 as soon as it sees DATA, from inside the decoder's read. */
    private List<Object> decodeAnsweringAtOnce(List<String> pieces, long expectedOctets) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpCommand command && command.keyword().equals("DATA")) {
                    decoder.expectMessage();
                }
                if (msg == EndOfMessage.INSTANCE) {
                    assertThat(decoder.messageOctets()).isEqualTo(expectedOctets);
                }
                ctx.fireChannelRead(msg);
            }
        });
        writeInbound(channel, allocator, pieces);
        List<Object> events = drainInputs(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    /** The session answers 354 only after every piece arrived, so everything waits in the decoder's buffer. */
    private List<Object> decodeAnsweringLate(List<String> pieces) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, pieces);
        List<Object> events = drainInputs(channel);
        assertThat(events).containsExactly(new SmtpCommand("DATA"));
        decoder.expectMessage();
        events.addAll(drainInputs(channel));
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    private void assertBothWays(List<String> pieces, String content, String description) {
        List<Object> expected = expectedEvents(content);
        assertThat(decodeAnsweringAtOnce(pieces, content.length())).as("354 at once, %s", description).isEqualTo(expected);
        assertThat(decodeAnsweringLate(pieces)).as("354 late, %s", description).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.smtp.SmtpCodecFixtures#trickyMessages")
    void messageIsDeliveredExactlyAtEverySplit(String content) {
        String wire = DATA + dataWire(content) + QUIT;
        assertBothWays(List.of(wire), content, "in one piece");
        assertBothWays(byteByByte(wire), content, "byte by byte");
        everySplit(wire).forEach(pieces ->
                assertBothWays(pieces, content, "split at " + pieces.get(0).length() + " of " + visible(wire)));
    }

    @ParameterizedTest
    @MethodSource("org.popbridge.proxy.smtp.SmtpCodecFixtures#shortTrickyMessages")
    void messageIsDeliveredExactlyWhenCutInThreeAnywhere(String content) {
        String wire = DATA + dataWire(content) + QUIT;
        List<Object> expected = expectedEvents(content);
        everyCutInThree(wire).forEach(pieces ->
                assertThat(decodeAnsweringAtOnce(pieces, content.length()))
                        .as("%s of %s", cutPoints(pieces), visible(wire)).isEqualTo(expected));
    }

    @Test
    void awkwardCutsAroundTheTerminatorAndAStuffedDot() {
        // "a\r\n..b\r\n.\r\n": cut inside the stuffed "..", right after a CRLF before a ".", inside "\r\n.\r\n".
        String wire = DATA + "a\r\n..b\r\n.\r\n" + QUIT;
        int data = DATA.length();
        int[][] cuts = {
            {data + 3}, {data + 4}, {data + 3, data + 4}, {data + 4, data + 5},
            {data + 7}, {data + 8}, {data + 9}, {data + 10}, {data + 7, data + 8, data + 9, data + 10},
        };
        for (int[] points : cuts) {
            assertBothWays(cut(wire, points), "a\r\n.b\r\n", "cut at " + java.util.Arrays.toString(points));
        }
    }

    @Test
    void contentEndsWithTheCrLfBeforeTheDotAndAnEmptyMessageHasNone() {
        assertBothWays(List.of(DATA + "a\r\n.\r\n" + QUIT), "a\r\n", "one line");
        assertBothWays(List.of(DATA + ".\r\n" + QUIT), "", "empty");
    }

    @Test
    void onlyCrLfDotCrLfEndsTheData() {
        // SMTP smuggling: a bare LF or CR around the dot must not end the message here when
        // the upstream would read on (or the other way round); RFC 5321 section 4.1.1.4.
        String content = "a\n.\r\nMAIL FROM:<x>\r\nb\r\n.\n\r\n\r.\r\n";
        assertBothWays(List.of(DATA + content + ".\r\n" + QUIT), content.replace("\r\n.\n", "\r\n\n"), "smuggling probes");
    }

    @Test
    void twoMessagesInOnePacketEachGetTheirEnd() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpCommand command && command.keyword().equals("DATA")) {
                    decoder.expectMessage();
                }
                ctx.fireChannelRead(msg);
            }
        });
        writeInbound(channel, allocator, List.of("DATA\r\none\r\n.\r\nMAIL FROM:<a>\r\nDATA\r\n..two\r\n.\r\nQUIT\r\n"));
        assertThat(drainInputs(channel)).containsExactly(
                new SmtpCommand("DATA"), new Content("one\r\n"), EndOfMessage.INSTANCE, new SmtpCommand("MAIL FROM:<a>"),
                new SmtpCommand("DATA"), new Content(".two\r\n"), EndOfMessage.INSTANCE, new SmtpCommand("QUIT"));
        assertThat(decoder.messageOctets()).as("reset for the second message").isEqualTo(".two\r\n".length());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void dataLinesAreNotSubjectToTheCommandLimit() {
        String content = repeat('L', 100_000) + "\r\n";
        assertBothWays(List.of(DATA + content + ".\r\n" + QUIT), content, "100,000-octet line");
    }

    @Test
    void chunksAreSlicesOfTheInputNotCopies() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        String content = repeat('m', 4000) + "\r\n";
        channel.writeInbound(allocator.copyOf(DATA));
        assertThat((Object) channel.readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectMessage();
        ByteBuf received = allocator.copyOf(content + ".\r\n");
        channel.writeInbound(received);
        MessageChunk chunk = channel.readInbound();
        try {
            assertThat(chunk.stuffed()).isFalse();
            assertThat(CodecInput.latin1(chunk.content())).isEqualTo(content);
            assertThat(chunk.content().array()).as("the chunk shares the received memory").isSameAs(received.array());
        } finally {
            chunk.release();
        }
        assertThat((Object) channel.readInbound()).isEqualTo(EndOfMessage.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void longMessageIsStreamedWithoutBeingBuffered() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of(DATA));
        assertThat(drainInputs(channel)).containsExactly(new SmtpCommand("DATA"));
        decoder.expectMessage();

        long maxHeld = 0;
        long passedOn = 0;
        String piece = "0123456789abcdef\r\n.x";   // every piece ends in the middle of a stuffed line
        for (int i = 0; i < 20_000; i++) {
            channel.writeInbound(allocator.copyOf(piece));
            for (Object event : drainInputs(channel)) {
                passedOn += ((Content) event).latin1().length();
            }
            maxHeld = Math.max(maxHeld, allocator.heldCapacity());
        }
        writeInbound(channel, allocator, List.of("\r\n.\r\n"));
        List<Object> last = drainInputs(channel);

        assertThat(last).containsExactly(new Content("\r\n"), EndOfMessage.INSTANCE);
        assertThat(passedOn + 2).isEqualTo(decoder.messageOctets()).isEqualTo(20_000L * (piece.length() - 1) + 2);
        assertThat(maxHeld).as("octets held while 400,000 arrived").isLessThanOrEqualTo(256);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void readsThatEachEndInAnUndecidedDotDoNotPileUp() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of(DATA));
        assertThat(drainInputs(channel)).containsExactly(new SmtpCommand("DATA"));
        decoder.expectMessage();

        long maxHeld = 0;
        long passedOn = 0;
        // Every read ends with a "." starting a line, which only the next read decides.
        String piece = ".0123456789abcdef\r\n.";
        writeInbound(channel, allocator, List.of("."));
        for (int i = 0; i < 20_000; i++) {
            channel.writeInbound(allocator.copyOf(piece));
            for (Object event : drainInputs(channel)) {
                passedOn += ((Content) event).latin1().length();
            }
            maxHeld = Math.max(maxHeld, allocator.heldCapacity());
        }
        writeInbound(channel, allocator, List.of("\r\n"));
        assertThat(drainInputs(channel)).containsExactly(EndOfMessage.INSTANCE);
        assertThat(passedOn).isEqualTo(decoder.messageOctets()).isEqualTo(20_000L * (piece.length() - 1));
        assertThat(maxHeld).as("octets held while 400,000 arrived").isLessThanOrEqualTo(256);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void connectionClosingMidMessageNeverProducesAnEnd() {
        String[] truncations = {"", "Subject: x\r\n", "Subject: x\r\n.", "Subject: x\r\n.\r", "Subject: x\r\n..", "partial", "a\r\n..\r\n"};
        for (String truncated : truncations) {
            SmtpCommandDecoder decoder = new SmtpCommandDecoder();
            EmbeddedChannel channel = channel(allocator, decoder);
            writeInbound(channel, allocator, List.of(DATA));
            decoder.expectMessage();
            writeInbound(channel, allocator, List.of(truncated));
            channel.finish();
            assertThat(drainInputs(channel)).as(visible(truncated)).doesNotContain(EndOfMessage.INSTANCE);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void commandsAfterTheMessageUseTheLineLimitAgain() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(16);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of(DATA));
        decoder.expectMessage();
        writeInbound(channel, allocator, List.of(repeat('d', 40) + "\r\n.\r\n" + repeat('c', 40) + "\r\nNOOP\r\n"));
        assertThat(drainInputs(channel)).containsExactly(new SmtpCommand("DATA"), new Content(repeat('d', 40) + "\r\n"),
                EndOfMessage.INSTANCE, new SmtpOverlongLine(16), new SmtpCommand("NOOP"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
