package org.popbridge.proxy.pop3;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.pop3.CodecFixtures.eightBitOctets;
import static org.popbridge.proxy.pop3.CodecFixtures.repeat;
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
import org.popbridge.proxy.testing.TrackingAllocator;

class Pop3CommandDecoderTest {

    private static final int LIMIT = Pop3CommandDecoder.RFC2449_COMMAND_LIMIT;

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    /** Decodes the pieces on a fresh channel; asserts nothing else is left and the channel closes clean. */
    private List<Object> decode(List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, new Pop3CommandDecoder(LIMIT));
        writeInbound(channel, allocator, pieces);
        List<Object> decoded = readAll(channel);
        assertThat(channel.finishAndReleaseAll()).as("nothing left after close").isFalse();
        return decoded;
    }

    private static List<Object> readAll(EmbeddedChannel channel) {
        List<Object> decoded = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            decoded.add(msg);
        }
        return decoded;
    }

    private void assertDecodesAtEverySplit(String input, List<Object> expected) {
        assertThat(decode(List.of(input))).as("in one piece").isEqualTo(expected);
        assertThat(decode(byteByByte(input))).as("byte by byte").isEqualTo(expected);
        everySplit(input).forEach(pieces ->
                assertThat(decode(pieces)).as("split at %d", pieces.get(0).length()).isEqualTo(expected));
    }

    @Test
    void crlfAndBareLfLinesAtEverySplit() {
        assertDecodesAtEverySplit("USER alice\r\nPASS s3cret\nSTAT\r\n\r\nLIST 1\n",
                List.of(new Pop3Command("USER alice"), new Pop3Command("PASS s3cret"), new Pop3Command("STAT"),
                        new Pop3Command(""), new Pop3Command("LIST 1")));
    }

    @Test
    void onlyTheCrBeforeLfIsALineEnd() {
        assertDecodesAtEverySplit("NOOP\rX\r\nRETR 1\r\r\n",
                List.of(new Pop3Command("NOOP\rX"), new Pop3Command("RETR 1\r")));
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedAndOneOverIsRefusedOnceAndTheSessionGoesOn() {
        String fits = "USER " + repeat('a', LIMIT - 5 - 2);       // 255 octets with CRLF
        String tooLong = "USER " + repeat('b', LIMIT - 5 - 1);    // 256 octets with CRLF
        assertThat((fits + "\r\n").length()).isEqualTo(255);
        assertThat((tooLong + "\r\n").length()).isEqualTo(256);

        assertDecodesAtEverySplit(fits + "\r\n" + tooLong + "\r\nNOOP\r\n",
                List.of(new Pop3Command(fits), new OverlongLine(LIMIT), new Pop3Command("NOOP")));
    }

    @Test
    void limitCountsABareLfAsOneOctet() {
        String fits = repeat('a', LIMIT - 1);      // 255 octets with LF
        String tooLong = repeat('b', LIMIT);       // 256 octets with LF
        assertDecodesAtEverySplit(fits + "\n" + tooLong + "\nQUIT\n",
                List.of(new Pop3Command(fits), new OverlongLine(LIMIT), new Pop3Command("QUIT")));
    }

    @Test
    void overlongLineWithoutLfForALongTimeIsDiscardedNotBuffered() {
        EmbeddedChannel channel = channel(allocator, new Pop3CommandDecoder(LIMIT));
        long maxHeld = 0;
        for (int i = 0; i < 20_000; i++) {
            channel.writeInbound(allocator.copyOf("0123456789"));   // 200,000 octets, no LF
            maxHeld = Math.max(maxHeld, allocator.heldCapacity());
        }
        channel.writeInbound(allocator.copyOf("tail\r\nNOOP\r\n"));

        assertThat(readAll(channel)).containsExactly(new OverlongLine(LIMIT), new Pop3Command("NOOP"));
        assertThat(maxHeld).as("octets held while the long line arrived").isLessThanOrEqualTo(2L * LIMIT);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void raisedLimitAcceptsLongerLinesAndLoweringItAppliesAgain() {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        String saslResponse = repeat('Q', 600);

        decoder.lineLimit(1024);
        writeInbound(channel, allocator, List.of(saslResponse + "\r\n"));
        decoder.lineLimit(LIMIT);
        writeInbound(channel, allocator, List.of(saslResponse + "\r\n", "STAT\r\n"));

        assertThat(readAll(channel)).containsExactly(new Pop3Command(saslResponse), new OverlongLine(LIMIT), new Pop3Command("STAT"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void limitChangedByTheHandlerAppliesToTheNextLineOfTheSamePacket() {
        // As the session does: AUTH opens a SASL exchange whose lines may be longer than commands.
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Pop3Command command && command.keyword().equals("AUTH")) {
                    decoder.lineLimit(1024);
                }
            }
        });
        String saslResponse = repeat('Q', 600);

        writeInbound(channel, allocator, List.of("AUTH PLAIN\r\n" + saslResponse + "\r\n"));

        assertThat(seen).containsExactly(new Pop3Command("AUTH PLAIN"), new Pop3Command(saslResponse));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void limitBelowThreeOctetsIsRefused() {
        assertThatThrownBy(() -> new Pop3CommandDecoder(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pop3CommandDecoder(LIMIT).lineLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Models the session: the handler after the decoder discards buffered input when it sees STLS. */
    private EmbeddedChannel stlsChannel(List<Object> seen) {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        return channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Pop3Command command && command.keyword().equals("STLS")) {
                    decoder.discardBufferedInput();
                }
            }
        });
    }

    @Test
    void commandsInjectedInTheSamePacketAsStlsAreDiscarded() {
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = stlsChannel(seen);

        writeInbound(channel, allocator, List.of("STLS\r\nUSER evil\r\nPASS evil\r\nDELE 1\r\n"));

        assertThat(seen).containsExactly(new Pop3Command("STLS"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void injectedPartialAndOverlongInputAfterStlsIsDiscardedAndLaterLinesDecode() {
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = stlsChannel(seen);

        // The packet ends inside an overlong line: after the discard, the decoder must not
        // still be skipping to a line end, or it would eat the first command after TLS.
        writeInbound(channel, allocator, List.of("NOOP\r\nSTLS\nUSER evil\r\n" + repeat('x', 300)));
        writeInbound(channel, allocator, List.of("CAPA\r\n"));

        assertThat(seen).containsExactly(new Pop3Command("NOOP"), new Pop3Command("STLS"), new Pop3Command("CAPA"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardInTheMiddleOfAnOverlongLineDoesNotEatTheNextCommand() {
        // The session discards again when TLS starts, possibly while the decoder is skipping
        // an overlong line; the first command over TLS must not be taken for its tail.
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, List.of(repeat('x', 300)));
        decoder.discardBufferedInput();
        writeInbound(channel, allocator, List.of("CAPA\r\n"));

        assertThat(readAll(channel)).containsExactly(new OverlongLine(LIMIT), new Pop3Command("CAPA"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardWithNothingBufferedIsHarmless() {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        EmbeddedChannel channel = channel(allocator, decoder);
        decoder.discardBufferedInput();
        writeInbound(channel, allocator, List.of("NOOP\r\n"));
        assertThat(readAll(channel)).containsExactly(new Pop3Command("NOOP"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void eightBitOctetsSurviveUnchanged() {
        String line = "USER j\u00f6rg " + eightBitOctets();
        List<Object> decoded = decode(byteByByte(line + "\r\n"));

        assertThat(decoded).containsExactly(new Pop3Command(line));
        assertThat(((Pop3Command) decoded.get(0)).line().getBytes(ISO_8859_1)).isEqualTo(octets(line));
        assertThat(((Pop3Command) decoded.get(0)).argument()).endsWith("\u00fe\u00ff");
    }

    @Test
    void lineWithoutLineEndAtCloseIsNotACommand() {
        // A client that sends "QUIT" and drops the connection did not ask to commit deletions.
        assertThat(decodeThenClose("QUIT")).isEmpty();
        assertThat(decodeThenClose("QUIT\r")).isEmpty();
        assertThat(decodeThenClose("STAT\r\nQUIT")).containsExactly(new Pop3Command("STAT"));
    }

    private List<Object> decodeThenClose(String input) {
        EmbeddedChannel channel = channel(allocator, new Pop3CommandDecoder(LIMIT));
        writeInbound(channel, allocator, List.of(input));
        channel.finish();
        return readAll(channel);
    }

    @Test
    void overlongLineSplitAcrossItsCrLfIsReportedOnce() {
        String tooLong = repeat('z', LIMIT - 1);  // with CRLF: 256
        List<Object> expected = List.of(new OverlongLine(LIMIT), new Pop3Command("NOOP"));
        assertThat(decode(cut(tooLong + "\r\nNOOP\r\n", LIMIT - 1, LIMIT, LIMIT + 1))).isEqualTo(expected);
    }
}
