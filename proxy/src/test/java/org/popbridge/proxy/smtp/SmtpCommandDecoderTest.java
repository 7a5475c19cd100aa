package org.popbridge.proxy.smtp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.drainInputs;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.eightBitOctets;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.repeat;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cut;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.octets;
import static org.popbridge.proxy.testing.CodecInput.writeInbound;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.smtp.SmtpCodecFixtures.Content;
import org.popbridge.proxy.testing.TrackingAllocator;

class SmtpCommandDecoderTest {

    private static final int LIMIT = SmtpCommandDecoder.RFC5321_COMMAND_LIMIT;

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private static SmtpCommand cmd(String line) {
        return new SmtpCommand(line);
    }

    /** Decodes the pieces on a fresh channel; asserts nothing else is left and the channel closes clean. */
    private List<Object> decode(List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, new SmtpCommandDecoder(LIMIT));
        writeInbound(channel, allocator, pieces);
        List<Object> decoded = drainInputs(channel);
        assertThat(channel.finishAndReleaseAll()).as("nothing left after close").isFalse();
        return decoded;
    }

    private void assertDecodesAtEverySplit(String input, List<Object> expected) {
        assertThat(decode(List.of(input))).as("in one piece").isEqualTo(expected);
        assertThat(decode(byteByByte(input))).as("byte by byte").isEqualTo(expected);
        everySplit(input).forEach(pieces ->
                assertThat(decode(pieces)).as("split at %d", pieces.get(0).length()).isEqualTo(expected));
    }

    // ---- command lines

    @Test
    void crlfAndBareLfLinesAtEverySplit() {
        assertDecodesAtEverySplit("EHLO client.example\r\nMAIL FROM:<a@example.org>\nRCPT TO:<b@example.org>\r\n\r\nnoop\n",
                List.of(cmd("EHLO client.example"), cmd("MAIL FROM:<a@example.org>"), cmd("RCPT TO:<b@example.org>"),
                        cmd(""), cmd("noop")));
    }

    @Test
    void onlyTheCrBeforeLfIsALineEnd() {
        assertDecodesAtEverySplit("NOOP\rX\r\nRSET\r\r\n", List.of(cmd("NOOP\rX"), cmd("RSET\r")));
    }

    @Test
    void defaultLimitIsTheRfc5321CommandLimit() {
        String fits = "MAIL FROM:<" + repeat('a', 512 - 11 - 3) + ">";
        assertThat((fits + "\r\n").length()).isEqualTo(512);
        EmbeddedChannel channel = channel(allocator, new SmtpCommandDecoder());
        writeInbound(channel, allocator, List.of(fits + "\r\n", fits + "X\r\n", "QUIT\r\n"));
        assertThat(drainInputs(channel)).containsExactly(cmd(fits), new SmtpOverlongLine(512), cmd("QUIT"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedAndOneOverIsRefusedOnceAndTheSessionGoesOn() {
        int limit = 40;
        String fits = "RCPT TO:<" + repeat('a', limit - 9 - 3) + ">";      // 40 octets with CRLF
        String tooLong = "RCPT TO:<" + repeat('b', limit - 9 - 2) + ">";   // 41 octets with CRLF
        assertThat((fits + "\r\n").length()).isEqualTo(limit);
        assertThat((tooLong + "\r\n").length()).isEqualTo(limit + 1);
        String input = fits + "\r\n" + tooLong + "\r\nNOOP\r\n";
        List<Object> expected = List.of(cmd(fits), new SmtpOverlongLine(limit), cmd("NOOP"));

        everySplit(input).forEach(pieces -> {
            EmbeddedChannel channel = channel(allocator, new SmtpCommandDecoder(limit));
            writeInbound(channel, allocator, pieces);
            assertThat(drainInputs(channel)).as("split at %d", pieces.get(0).length()).isEqualTo(expected);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    @Test
    void limitCountsABareLfAsOneOctet() {
        String fits = repeat('a', LIMIT - 1);      // 512 octets with LF
        String tooLong = repeat('b', LIMIT);       // 513 octets with LF
        assertDecodesAtEverySplit(fits + "\n" + tooLong + "\nQUIT\n",
                List.of(cmd(fits), new SmtpOverlongLine(LIMIT), cmd("QUIT")));
    }

    @Test
    void overlongLineSplitAcrossItsCrLfIsReportedOnce() {
        String tooLong = repeat('z', LIMIT - 1);  // with CRLF: 513
        List<Object> expected = List.of(new SmtpOverlongLine(LIMIT), cmd("NOOP"));
        assertThat(decode(cut(tooLong + "\r\nNOOP\r\n", LIMIT - 1, LIMIT, LIMIT + 1))).isEqualTo(expected);
        assertThat(decode(cut(tooLong + "\r\nNOOP\r\n", LIMIT))).isEqualTo(expected);
        assertThat(decode(cut(tooLong + "\r\nNOOP\r\n", LIMIT + 1))).isEqualTo(expected);
    }

    @Test
    void overlongLineWithoutLfForALongTimeIsDiscardedNotBuffered() {
        EmbeddedChannel channel = channel(allocator, new SmtpCommandDecoder(LIMIT));
        long maxHeld = 0;
        for (int i = 0; i < 20_000; i++) {
            channel.writeInbound(allocator.copyOf("0123456789"));   // 200,000 octets, no LF
            maxHeld = Math.max(maxHeld, allocator.heldCapacity());
        }
        channel.writeInbound(allocator.copyOf("tail\r\nNOOP\r\n"));

        assertThat(drainInputs(channel)).containsExactly(new SmtpOverlongLine(LIMIT), cmd("NOOP"));
        assertThat(maxHeld).as("octets held while the long line arrived").isLessThanOrEqualTo(2L * LIMIT);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void raisedLimitAcceptsLongerLinesAndLoweringItAppliesAgain() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        String saslResponse = repeat('Q', 1000);

        decoder.lineLimit(12_288);
        writeInbound(channel, allocator, List.of(saslResponse + "\r\n"));
        decoder.lineLimit(LIMIT);
        writeInbound(channel, allocator, List.of(saslResponse + "\r\n", "NOOP\r\n"));

        assertThat(drainInputs(channel)).containsExactly(cmd(saslResponse), new SmtpOverlongLine(LIMIT), cmd("NOOP"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void limitChangedByTheHandlerAppliesToTheNextLineOfTheSamePacket() {
        // As the session does: AUTH opens a SASL exchange whose lines may be longer than commands.
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof SmtpCommand command && command.keyword().equals("AUTH")) {
                    decoder.lineLimit(12_288);
                }
            }
        });
        String saslResponse = repeat('Q', 1000);

        writeInbound(channel, allocator, List.of("AUTH PLAIN\r\n" + saslResponse + "\r\n"));

        assertThat(seen).containsExactly(cmd("AUTH PLAIN"), cmd(saslResponse));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void limitBelowThreeOctetsIsRefused() {
        assertThatThrownBy(() -> new SmtpCommandDecoder(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpCommandDecoder(LIMIT).lineLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eightBitOctetsSurviveUnchanged() {
        String line = "MAIL FROM:<j\u00f6rg@example.org> " + eightBitOctets();
        List<Object> decoded = decode(byteByByte(line + "\r\n"));

        assertThat(decoded).containsExactly(cmd(line));
        assertThat(((SmtpCommand) decoded.get(0)).line().getBytes(ISO_8859_1)).isEqualTo(octets(line));
    }

    @Test
    void lineWithoutLineEndAtCloseIsNotACommand() {
        assertThat(decodeThenClose("QUIT")).isEmpty();
        assertThat(decodeThenClose("QUIT\r")).isEmpty();
        assertThat(decodeThenClose("NOOP\r\nQUIT")).containsExactly(cmd("NOOP"));
    }

    private List<Object> decodeThenClose(String input) {
        EmbeddedChannel channel = channel(allocator, new SmtpCommandDecoder(LIMIT));
        writeInbound(channel, allocator, List.of(input));
        channel.finish();
        return drainInputs(channel);
    }

    // ---- DATA: the rest waits for the session's decision

    @Test
    void dataHoldsTheRestUntilExpectMessage() {
        String input = "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nSubject: x\r\n\r\n..body\r\n.\r\nQUIT\r\n";
        everySplit(input).forEach(pieces -> {
            SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
            EmbeddedChannel channel = channel(allocator, decoder);
            writeInbound(channel, allocator, pieces);
            assertThat(drainInputs(channel)).as("before 354, split at %d", pieces.get(0).length())
                    .containsExactly(cmd("MAIL FROM:<a@example.org>"), cmd("RCPT TO:<b@example.org>"), cmd("DATA"));

            decoder.expectMessage();

            assertThat(drainInputs(channel)).as("after 354, split at %d", pieces.get(0).length())
                    .containsExactly(new Content("Subject: x\r\n\r\n.body\r\n"), EndOfMessage.INSTANCE, cmd("QUIT"));
            assertThat(decoder.messageOctets()).isEqualTo("Subject: x\r\n\r\n.body\r\n".length());
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    @Test
    void refusedDataResumesCommandsWithWhatIsBuffered() {
        String input = "DATA\r\nRSET\r\nNOOP\r\n";
        everySplit(input).forEach(pieces -> {
            SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
            EmbeddedChannel channel = channel(allocator, decoder);
            writeInbound(channel, allocator, pieces);
            assertThat(drainInputs(channel)).containsExactly(cmd("DATA"));

            decoder.resumeCommands();

            assertThat(drainInputs(channel)).containsExactly(cmd("RSET"), cmd("NOOP"));
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    @Test
    void lowerCaseDataWithAnArgumentHoldsToo() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of("data now\r\nNOOP\r\n"));
        assertThat(drainInputs(channel)).containsExactly(cmd("data now"));
        decoder.resumeCommands();
        assertThat(drainInputs(channel)).containsExactly(cmd("NOOP"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decisionTakenSynchronouslyByTheHandlerGoesOnInTheSamePacket() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpCommand command && command.keyword().equals("DATA")) {
                    seen.add(msg);
                    if (command.argument().equals("refuse")) {
                        decoder.resumeCommands();
                    } else {
                        decoder.expectMessage();
                    }
                    return;
                }
                ctx.fireChannelRead(msg);
            }
        });

        writeInbound(channel, allocator, List.of("DATA refuse\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n"));

        assertThat(seen).containsExactly(cmd("DATA refuse"), cmd("DATA"));
        assertThat(drainInputs(channel)).containsExactly(new Content("hi\r\n"), EndOfMessage.INSTANCE, cmd("QUIT"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void expectMessageWithNothingBufferedWaitsForTheData() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of("DATA\r\n"));
        decoder.expectMessage();
        assertThat(drainInputs(channel)).containsExactly(cmd("DATA"));
        writeInbound(channel, allocator, List.of(".x\r\n", ".\r\n"));
        assertThat(drainInputs(channel)).containsExactly(new Content("x\r\n"), EndOfMessage.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void expectMessageIsOnlyForAHeldData() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        assertThatThrownBy(decoder::expectMessage).isInstanceOf(IllegalStateException.class);
        writeInbound(channel, allocator, List.of("STARTTLS\r\n"));
        assertThat(drainInputs(channel)).containsExactly(cmd("STARTTLS"));
        assertThatThrownBy(decoder::expectMessage).isInstanceOf(IllegalStateException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void resumeCommandsInTheMiddleOfAMessageIsRefused() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of("DATA\r\n"));
        decoder.expectMessage();
        assertThatThrownBy(decoder::resumeCommands).isInstanceOf(IllegalStateException.class);
        assertThat(drainInputs(channel)).containsExactly(cmd("DATA"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- STARTTLS (RFC 3207 section 6)

    @Test
    void commandsInjectedInTheSamePacketAsStarttlsAreDiscarded() {
        String input = "EHLO client\r\nSTARTTLS\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n";
        everySplit(input).forEach(pieces -> {
            SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
            EmbeddedChannel channel = channel(allocator, decoder);
            writeInbound(channel, allocator, pieces);
            assertThat(drainInputs(channel)).containsExactly(cmd("EHLO client"), cmd("STARTTLS"));

            decoder.discardBufferedInput();   // 220 sent, the TLS handler is in place
            writeInbound(channel, allocator, List.of("EHLO client\r\n"));

            assertThat(drainInputs(channel)).as("split at %d", pieces.get(0).length()).containsExactly(cmd("EHLO client"));
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    @Test
    void discardTakenSynchronouslyByTheHandlerDropsTheRestOfThePacket() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof SmtpCommand command && command.keyword().equals("STARTTLS")) {
                    decoder.discardBufferedInput();
                }
            }
        });

        // The packet ends inside an overlong line: after the discard the decoder must not still
        // be skipping to a line end, or it would eat the first command after TLS.
        writeInbound(channel, allocator, List.of("NOOP\r\nSTARTTLS\nMAIL FROM:<evil>\r\n" + repeat('x', 600)));
        writeInbound(channel, allocator, List.of("EHLO again\r\n"));

        assertThat(seen).containsExactly(cmd("NOOP"), cmd("STARTTLS"), cmd("EHLO again"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusedStarttlsResumesCommands() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of("STARTTLS\r\nMAIL FROM:<a@example.org>\r\n"));
        assertThat(drainInputs(channel)).containsExactly(cmd("STARTTLS"));
        decoder.resumeCommands();
        assertThat(drainInputs(channel)).containsExactly(cmd("MAIL FROM:<a@example.org>"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardInTheMiddleOfAnOverlongLineDoesNotEatTheNextCommand() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of(repeat('x', 600)));
        decoder.discardBufferedInput();
        writeInbound(channel, allocator, List.of("EHLO x\r\n"));

        assertThat(drainInputs(channel)).containsExactly(new SmtpOverlongLine(LIMIT), cmd("EHLO x"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardWithNothingBufferedIsHarmless() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        decoder.discardBufferedInput();
        writeInbound(channel, allocator, List.of("NOOP\r\n"));
        assertThat(drainInputs(channel)).containsExactly(cmd("NOOP"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
