package org.popbridge.proxy.upstream.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.visible;
import static org.popbridge.proxy.testing.CodecInput.writeInbound;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.testing.TrackingAllocator;

class SmtpReplyDecoderTest {

    private static final List<String> EHLO_LINES = List.of(
            "mail.example.org Hello client.example.net [192.0.2.7]",
            "SIZE 35882577",
            "8BITMIME",
            "PIPELINING",
            "AUTH PLAIN LOGIN XOAUTH2",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "SMTPUTF8",
            "DSN",
            "STARTTLS");

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private static String ehloWire() {
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < EHLO_LINES.size(); i++) {
            wire.append("250").append(i < EHLO_LINES.size() - 1 ? '-' : ' ').append(EHLO_LINES.get(i)).append("\r\n");
        }
        return wire.toString();
    }

    /** Decodes the pieces on a fresh channel and closes it; returns the replies passed on. */
    private List<SmtpReply> decode(SmtpReplyDecoder decoder, List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, decoder);
        writeInbound(channel, allocator, pieces);
        channel.finish();
        List<SmtpReply> replies = drain(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return replies;
    }

    private List<SmtpReply> decode(List<String> pieces) {
        return decode(new SmtpReplyDecoder(), pieces);
    }

    private static List<SmtpReply> drain(EmbeddedChannel channel) {
        List<SmtpReply> replies = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            replies.add((SmtpReply) msg);
        }
        return replies;
    }

    /** Feeds the pieces and expects the decoder to fail on one of them; returns what came before. */
    private List<SmtpReply> decodeFailing(SmtpReplyDecoder decoder, List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, decoder);
        assertThatThrownBy(() -> writeInbound(channel, allocator, pieces))
                .as("%s", pieces.stream().map(p -> visible(p)).collect(Collectors.joining(" | ")))
                .isInstanceOf(DecoderException.class);
        List<SmtpReply> replies = drain(channel);
        // Nothing is decoded after a failure, even a well-formed reply.
        channel.writeInbound(allocator.copyOf("250 OK\r\n"));
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return replies;
    }

    // ---- well-formed replies

    @Test
    void oneLineReplies() {
        assertThat(decode(List.of("220 mail.example.org ESMTP ready\r\n")))
                .containsExactly(SmtpReply.of(220, "mail.example.org ESMTP ready"));
        assertThat(decode(List.of("250 2.1.0 Sender <a@example.org> OK\r\n")))
                .containsExactly(SmtpReply.of(250, "2.1.0 Sender <a@example.org> OK"));
        assertThat(decode(List.of("354 End data with <CR><LF>.<CR><LF>\r\n")))
                .containsExactly(SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>"));
        assertThat(decode(List.of("535 5.7.8 Authentication credentials invalid\r\n")).get(0).isPermanent()).isTrue();
    }

    @Test
    void multiLineEhloReply() {
        List<SmtpReply> replies = decode(List.of(ehloWire()));
        assertThat(replies).containsExactly(new SmtpReply(250, EHLO_LINES));
        assertThat(replies.get(0).lines()).hasSize(10);
    }

    @Test
    void replyWithoutText() {
        assertThat(decode(List.of("250\r\n"))).containsExactly(SmtpReply.of(250, ""));
        assertThat(decode(List.of("250 \r\n"))).containsExactly(SmtpReply.of(250, ""));
        assertThat(decode(List.of("334 \r\n"))).containsExactly(SmtpReply.of(334, ""));
        assertThat(decode(List.of("250-\r\n250-x\r\n250\r\n"))).containsExactly(new SmtpReply(250, List.of("", "x", "")));
    }

    @Test
    void textKeepsSpacesAndEightBitOctets() {
        String eightBit = IntStream.rangeClosed(0x80, 0xFF).mapToObj(b -> String.valueOf((char) b)).collect(Collectors.joining());
        assertThat(decode(List.of("250  two leading spaces \r\n"))).containsExactly(SmtpReply.of(250, " two leading spaces "));
        assertThat(decode(List.of("550-5.1.1 Gr\u00fc\u00dfe " + eightBit + "\r\n550 " + eightBit + "\r\n")))
                .containsExactly(new SmtpReply(550, List.of("5.1.1 Gr\u00fc\u00dfe " + eightBit, eightBit)));
    }

    @Test
    void bareLfEndsALineToo() {
        assertThat(decode(List.of("250-a\n250 b\r\n"))).containsExactly(new SmtpReply(250, List.of("a", "b")));
    }

    @Test
    void repliesSplitAtEveryByte() {
        String wire = "220 ready\r\n" + ehloWire() + "250\r\n334 \r\n";
        List<SmtpReply> expected = List.of(
                SmtpReply.of(220, "ready"), new SmtpReply(250, EHLO_LINES), SmtpReply.of(250, ""), SmtpReply.of(334, ""));
        assertThat(decode(List.of(wire))).as("in one piece").isEqualTo(expected);
        assertThat(decode(byteByByte(wire))).as("byte by byte").isEqualTo(expected);
        everySplit(wire).forEach(pieces -> assertThat(decode(pieces))
                .as("split at %d", pieces.get(0).length()).isEqualTo(expected));
    }

    @Test
    void shortRepliesCutInThreeAnywhere() {
        String wire = "250-a\r\n250 b\r\n421\r\n";
        List<SmtpReply> expected = List.of(new SmtpReply(250, List.of("a", "b")), SmtpReply.of(421, ""));
        everyCutInThree(wire).forEach(pieces ->
                assertThat(decode(pieces)).as("%s", cutPoints(pieces)).isEqualTo(expected));
    }

    @Test
    void twoRepliesInOnePacket() {
        // Pipelined MAIL and RCPT (RFC 2920): both replies arrive together.
        assertThat(decode(List.of("250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n")))
                .containsExactly(SmtpReply.of(250, "2.1.0 Ok"), SmtpReply.of(550, "5.1.1 No such user"));
    }

    @Test
    void replyCutOffByTheCloseIsNotPassedOn() {
        assertThat(decode(List.of("250-first\r\n250 second"))).isEmpty();
        assertThat(decode(List.of("250 OK\r\n250-first\r\n"))).containsExactly(SmtpReply.of(250, "OK"));
    }

    // ---- STARTTLS (RFC 3207 section 6)

    @Test
    void inputAfterTheStartTlsReplyCanBeDiscardedBeforeItIsDecoded() {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        List<SmtpReply> seen = new ArrayList<>();
        EmbeddedChannel channel = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                SmtpReply reply = (SmtpReply) msg;
                seen.add(reply);
                if (reply.code() == 220) {
                    decoder.discardBufferedInput();
                }
            }
        });
        // A man in the middle appends a reply to the 220, to be read as if it came over TLS.
        channel.writeInbound(allocator.copyOf("220 2.0.0 Ready to start TLS\r\n250 injected\r\n250-half"));
        assertThat(seen).containsExactly(SmtpReply.of(220, "2.0.0 Ready to start TLS"));
        channel.writeInbound(allocator.copyOf("250 over TLS\r\n"));
        assertThat(seen).containsExactly(SmtpReply.of(220, "2.0.0 Ready to start TLS"), SmtpReply.of(250, "over TLS"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardingForgetsAnUnfinishedReply() {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        channel.writeInbound(allocator.copyOf("250-unfinished\r\n250-more"));
        decoder.discardBufferedInput();
        channel.writeInbound(allocator.copyOf("220 fresh\r\n"));
        assertThat(drain(channel)).containsExactly(SmtpReply.of(220, "fresh"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardingWithNothingBufferedIsHarmless() {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        EmbeddedChannel channel = channel(allocator, decoder);
        decoder.discardBufferedInput();
        channel.writeInbound(allocator.copyOf("250 OK\r\n"));
        assertThat(drain(channel)).containsExactly(SmtpReply.of(250, "OK"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- protocol errors

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n", "2\r\n", "25\r\n", "25 OK\r\n", "2500 OK\r\n", "250_OK\r\n", "250\tOK\r\n", " 250 OK\r\n",
        "abc OK\r\n", "+OK POP3 ready\r\n", "* OK IMAP4rev1\r\n", "2x0 OK\r\n", "\u00b2\u00b9\u00b3 OK\r\n",
        "000 x\r\n", "199 x\r\n", "600 x\r\n", "999\r\n",
        "250-a\r\n251 b\r\n", "250-a\r\n550-b\r\n250 c\r\n", "250-a\r\nb\r\n"})
    void malformedLinesFail(String wire) {
        assertThat(decodeFailing(new SmtpReplyDecoder(), List.of(wire))).isEmpty();
        assertThat(decodeFailing(new SmtpReplyDecoder(), byteByByte(wire))).isEmpty();
    }

    @Test
    void repliesBeforeAMalformedLineArePassedOn() {
        assertThat(decodeFailing(new SmtpReplyDecoder(), List.of("220 ready\r\n250-a\r\n251 b\r\n250 c\r\n")))
                .containsExactly(SmtpReply.of(220, "ready"));
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        String line = "250 " + "x".repeat(10) + "\r\n";
        assertThat(line).hasSize(16);
        assertThat(decode(new SmtpReplyDecoder(16, 10), List.of(line))).containsExactly(SmtpReply.of(250, "x".repeat(10)));
        assertThat(decode(new SmtpReplyDecoder(16, 10), byteByByte(line))).hasSize(1);
    }

    @Test
    void lineOverTheLimitFails() {
        String line = "250 " + "x".repeat(11) + "\r\n";
        assertThat(decodeFailing(new SmtpReplyDecoder(16, 10), List.of(line))).isEmpty();
        assertThat(decodeFailing(new SmtpReplyDecoder(16, 10), byteByByte(line))).isEmpty();
        assertThat(decodeFailing(new SmtpReplyDecoder(16, 10), List.of("250-ok\r\n" + line))).isEmpty();
    }

    @Test
    void endlessLineFailsWithoutWaitingForItsEnd() {
        // Bounded memory: the decoder gives up as soon as the limit is reached without a line end.
        assertThat(decodeFailing(new SmtpReplyDecoder(16, 10), List.of("250 " + "x".repeat(12)))).isEmpty();
        EmbeddedChannel channel = channel(allocator, new SmtpReplyDecoder(16, 10));
        channel.writeInbound(allocator.copyOf("250 " + "x".repeat(11)));
        assertThat(drain(channel)).as("one octet short of the limit: still waiting").isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void defaultLimitAllowsLongEhloLinesButNotEndlessOnes() {
        String longLine = "250 AUTH " + "MECHANISM-".repeat(400) + "\r\n";
        assertThat(longLine.length()).isBetween(513, SmtpReplyDecoder.DEFAULT_LINE_LIMIT);
        assertThat(decode(List.of(longLine))).hasSize(1);
        String overlong = "250 " + "y".repeat(SmtpReplyDecoder.DEFAULT_LINE_LIMIT) + "\r\n";
        assertThat(decodeFailing(new SmtpReplyDecoder(), List.of(overlong))).isEmpty();
    }

    @Test
    void replyOfTooManyLinesFails() {
        String three = "250-a\r\n250-b\r\n250 c\r\n";
        assertThat(decode(new SmtpReplyDecoder(64, 3), List.of(three))).containsExactly(new SmtpReply(250, List.of("a", "b", "c")));
        assertThat(decodeFailing(new SmtpReplyDecoder(64, 3), List.of("250-a\r\n" + three))).isEmpty();
        // The limit is per reply, not per connection.
        assertThat(decode(new SmtpReplyDecoder(64, 3), List.of(three + three))).hasSize(2);
    }

    @Test
    void defaultLineCountLimit() {
        String maxLines = "250-x\r\n".repeat(SmtpReplyDecoder.DEFAULT_MAX_LINES - 1) + "250 end\r\n";
        assertThat(decode(List.of(maxLines)).get(0).lines()).hasSize(SmtpReplyDecoder.DEFAULT_MAX_LINES);
        assertThat(decodeFailing(new SmtpReplyDecoder(), List.of("250-x\r\n" + maxLines))).isEmpty();
        // An endless multi-line reply fails without waiting for its end.
        assertThat(decodeFailing(new SmtpReplyDecoder(), List.of("250-x\r\n".repeat(SmtpReplyDecoder.DEFAULT_MAX_LINES + 1))))
                .isEmpty();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new SmtpReplyDecoder(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpReplyDecoder(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
