package org.popbridge.proxy.upstream.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.testing.CodecInput.byteByByte;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cutPoints;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;
import static org.popbridge.proxy.testing.CodecInput.everyCutInThree;
import static org.popbridge.proxy.testing.CodecInput.everySplit;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.smtp.EndOfMessage;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.popbridge.proxy.testing.TrackingAllocator;

class SmtpClientEncoderTest {

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    // ---- an independent model of message data on the wire (RFC 5321 sections 4.1.1.4, 4.5.2)

    /** A "." is inserted before every line that starts with "."; lines start after LF. */
    static String dotStuff(String message) {
        StringBuilder wire = new StringBuilder(message.length() + 8);
        boolean lineStart = true;
        for (char c : message.toCharArray()) {
            if (lineStart && c == '.') {
                wire.append('.');
            }
            wire.append(c);
            lineStart = c == '\n';
        }
        return wire.toString();
    }

    /** The data as sent after 354: stuffed, CRLF added unless empty or ending with CRLF, then ".CRLF". */
    static String dataWire(String message) {
        String stuffed = dotStuff(message);
        return (message.isEmpty() || message.endsWith("\r\n") ? stuffed : stuffed + "\r\n") + ".\r\n";
    }

    static String eightBitOctets() {
        return IntStream.rangeClosed(0x80, 0xFF).mapToObj(b -> String.valueOf((char) b)).collect(Collectors.joining());
    }

    static Stream<Named<String>> trickyMessages() {
        return Stream.of(
                Named.of("lines starting with a dot", "Subject: dots\r\n\r\n.hidden\r\n. space\r\n.x.\r\n"),
                Named.of("a lone dot line", "before\r\n.\r\nafter\r\n"),
                Named.of("two dots", "a\r\n..\r\nb\r\n"),
                Named.of("first line starts with a dot", ".first\r\nsecond\r\n"),
                Named.of("message that is a lone dot line", ".\r\n"),
                Named.of("dot lines in a row", ".\r\n.\r\n..\r\n...\r\n.\r\n"),
                Named.of("8-bit octets 0x80-0xFF", "Subject: 8bit\r\n\r\n" + eightBitOctets() + "\r\n." + eightBitOctets() + "\r\n"),
                Named.of("998-octet line starting with a dot", "." + "y".repeat(997) + "\r\n"),
                Named.of("empty message", ""),
                Named.of("last line without CRLF", "first\r\nno line end"),
                Named.of("last line is a dot without CRLF", "first\r\n."),
                Named.of("ends with CR", "first\r\nsecond\r"),
                Named.of("ends with bare LF", "first\r\nsecond\n"),
                Named.of("only CRLF", "\r\n"),
                Named.of("blank lines", "\r\n\r\n\r\n"),
                Named.of("bare LF before a dot", "a\n.\r\nb\n.\n"),
                Named.of("bare CR before a dot", "a\r.\r\nb\r.x\r\n"),
                Named.of("end-of-data look-alike inside", "a\r\n.\r\n\r\n.\r\n.x\r\n"),
                Named.of("NUL and controls", "\0.\r\n\u0001\u007f\r\n"));
    }

    static Stream<Named<String>> shortTrickyMessages() {
        return trickyMessages().filter(m -> m.getPayload().length() <= 64);
    }

    // ---- channels

    /** Writes the objects (Strings become message chunks) to a fresh encoder; returns the octets written. */
    private String encode(List<?> messages) {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        for (Object msg : messages) {
            channel.writeOutbound(msg instanceof String s ? new MessageChunk(allocator.copyOf(s)) : msg);
        }
        String written = drainWritten(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return written;
    }

    /** The octets written for one message given as chunks, then its end. */
    private String encodeMessage(List<String> chunks) {
        List<Object> messages = new ArrayList<>(chunks);
        messages.add(EndOfMessage.INSTANCE);
        return encode(messages);
    }

    // ---- commands

    @Test
    void commandsAreWrittenWithCrLf() {
        assertThat(encode(List.of(new SmtpCommand("EHLO popbridge.example.org")))).isEqualTo("EHLO popbridge.example.org\r\n");
        assertThat(encode(List.of(SmtpCommand.of(SmtpVerb.DATA, null)))).isEqualTo("DATA\r\n");
        assertThat(encode(List.of(SmtpCommand.of(SmtpVerb.MAIL, "FROM:<a@example.org> BODY=8BITMIME"),
                SmtpCommand.of(SmtpVerb.RCPT, "TO:<b@example.org>"))))
                .isEqualTo("MAIL FROM:<a@example.org> BODY=8BITMIME\r\nRCPT TO:<b@example.org>\r\n");
        assertThat(encode(List.of(new SmtpCommand("AUTH PLAIN AGFsaWNlAHNlY3JldA==")))).isEqualTo("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    }

    @Test
    void commandOctetsSurviveAsIso88591() {
        // An SMTPUTF8 address as the client sent it: UTF-8 octets held one per char.
        String utf8Octets = new String("RCPT TO:<j\u00fcrgen@b\u00fccher.example>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(encode(List.of(new SmtpCommand(utf8Octets)))).isEqualTo(utf8Octets + "\r\n");
    }

    @Test
    void commandWithALineEndInsideIsRefused() {
        for (String line : List.of("MAIL FROM:<a@x>\r\nRCPT TO:<b@x>", "RSET\nQUIT", "NOOP\r")) {
            EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
            assertThatThrownBy(() -> channel.writeOutbound(new SmtpCommand(line))).isInstanceOf(EncoderException.class);
            assertThat(drainWritten(channel)).isEmpty();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void rawBuffersPassThroughUntouched() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        ByteBuf sasl = allocator.copyOf(".dGVzdA==\r\n");
        channel.writeOutbound(sasl);
        ByteBuf written = channel.readOutbound();
        try {
            assertThat(written).isSameAs(sasl);
            assertThat(latin1(written)).isEqualTo(".dGVzdA==\r\n");
        } finally {
            written.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- message data

    @Test
    void dotsAtLineStartsAreStuffed() {
        assertThat(encodeMessage(List.of("a\r\n.b\r\n"))).isEqualTo("a\r\n..b\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r\n..\r\n"))).isEqualTo("a\r\n...\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r\n.\r\nb\r\n"))).isEqualTo("a\r\n..\r\nb\r\n.\r\n");
        assertThat(encodeMessage(List.of(".first\r\n"))).isEqualTo("..first\r\n.\r\n");
        assertThat(encodeMessage(List.of("a.b\r\n x.\r\n"))).as("dots elsewhere stay").isEqualTo("a.b\r\n x.\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\n.\r\n"))).as("after a bare LF too").isEqualTo("a\n..\r\n.\r\n");
    }

    @Test
    void dotAtAChunkStartIsStuffedOnlyAtALineStart() {
        assertThat(encodeMessage(List.of("a\r\n", ".b\r\n"))).isEqualTo("a\r\n..b\r\n.\r\n");
        assertThat(encodeMessage(List.of("a", ".b\r\n"))).isEqualTo("a.b\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r", "\n.", "\r\n"))).isEqualTo("a\r\n..\r\n.\r\n");
    }

    @ParameterizedTest
    @MethodSource("trickyMessages")
    void dataIsWrittenExactlyWhateverTheChunking(String message) {
        String expected = dataWire(message);
        String whole = encodeMessage(List.of(message));
        assertThat(whole).as("one chunk").isEqualTo(expected);
        assertThat(encodeMessage(byteByByte(message))).as("one chunk per octet").isEqualTo(expected);
        everySplit(message).forEach(chunks -> assertThat(encodeMessage(chunks))
                .as("chunks %s | %s", visible(chunks.get(0)), visible(chunks.get(1))).isEqualTo(whole));
    }

    @ParameterizedTest
    @MethodSource("shortTrickyMessages")
    void dataIsWrittenExactlyWhenCutIntoThreeChunksAnywhere(String message) {
        String expected = dataWire(message);
        everyCutInThree(message).forEach(pieces ->
                assertThat(encodeMessage(pieces))
                        .as("%s of %s", cutPoints(pieces), visible(message)).isEqualTo(expected));
    }

    @Test
    void messageWithoutFinalCrLfGetsOneBeforeTheEnd() {
        assertThat(encodeMessage(List.of("Subject: x\r\n\r\nno line end"))).isEqualTo("Subject: x\r\n\r\nno line end\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r\n", "b"))).isEqualTo("a\r\nb\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r\n", "."))).isEqualTo("a\r\n..\r\n.\r\n");
        // Only CRLF ends a line for the end of data: a bare LF or CR needs one added.
        assertThat(encodeMessage(List.of("a\n"))).isEqualTo("a\n\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r"))).isEqualTo("a\r\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r", "\n"))).isEqualTo("a\r\n.\r\n");
        assertThat(encodeMessage(List.of("a\r", "", "\n"))).isEqualTo("a\r\n.\r\n");
        assertThat(encodeMessage(List.of("\r", "\r", "\n"))).isEqualTo("\r\r\n.\r\n");
    }

    @Test
    void emptyMessageIsOnlyTheEndOfData() {
        assertThat(encodeMessage(List.of())).isEqualTo(".\r\n");
        assertThat(encodeMessage(List.of("", ""))).isEqualTo(".\r\n");
    }

    @Test
    void emptyChunksWriteNothingAndDoNotFail() {
        assertThat(encodeMessage(List.of("", "a\r\n", "", ".b\r\n", ""))).isEqualTo("a\r\n..b\r\n.\r\n");
    }

    @Test
    void tenThousandOctetLineIsWrittenByteExact() {
        String octets = IntStream.range(0, 10_000).mapToObj(i -> String.valueOf((char) (0x20 + i % 0xE0))).collect(Collectors.joining());
        assertThat(octets).hasSize(10_000).contains(eightBitOctets());
        for (String message : List.of(octets + "\r\n", "." + octets.substring(1) + "\r\n", "Subject: long\r\n\r\n" + octets)) {
            String expected = dataWire(message);
            String whole = encodeMessage(List.of(message));
            assertThat(whole).isEqualTo(expected);
            everySplit(message).forEach(chunks -> assertThat(encodeMessage(chunks))
                    .as("split at %d", chunks.get(0).length()).isEqualTo(whole));
        }
    }

    @Test
    void manyDotLinesInOneChunk() {
        // More stuffed lines than a composite holds pieces: written exactly all the same.
        String message = "a\r\n" + ".\r\n".repeat(1000) + "..x\r\n";
        assertThat(encodeMessage(List.of(message))).isEqualTo(dataWire(message));
    }

    @Test
    void eachMessageStartsFresh() {
        String written = encode(List.of(
                SmtpCommand.of(SmtpVerb.DATA, null), "unterminated", EndOfMessage.INSTANCE,
                SmtpCommand.of(SmtpVerb.MAIL, "FROM:<>"), SmtpCommand.of(SmtpVerb.DATA, null), ".x\r\n", EndOfMessage.INSTANCE,
                SmtpCommand.of(SmtpVerb.DATA, null), EndOfMessage.INSTANCE,
                SmtpCommand.of(SmtpVerb.QUIT, null)));
        assertThat(written).isEqualTo("DATA\r\nunterminated\r\n.\r\n"
                + "MAIL FROM:<>\r\nDATA\r\n..x\r\n.\r\n"
                + "DATA\r\n.\r\n"
                + "QUIT\r\n");
    }

    @Test
    void commandInsideMessageDataIsRefused() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        channel.writeOutbound(new MessageChunk(allocator.copyOf("Subject: x\r\n")));
        assertThatThrownBy(() -> channel.writeOutbound(SmtpCommand.of(SmtpVerb.RSET, null))).isInstanceOf(EncoderException.class);
        channel.writeOutbound(EndOfMessage.INSTANCE);
        channel.writeOutbound(SmtpCommand.of(SmtpVerb.RSET, null));
        assertThat(drainWritten(channel)).isEqualTo("Subject: x\r\n.\r\nRSET\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- no copies

    @Test
    void chunkWithoutADotAtALineStartIsWrittenWithoutCopying() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        ByteBuf content = allocator.copyOf("Subject: hi\r\n\r\nbody. with dots.\r\n");
        byte[] memory = content.array();
        channel.writeOutbound(new MessageChunk(content));
        ByteBuf written = channel.readOutbound();
        try {
            assertThat(latin1(written)).isEqualTo("Subject: hi\r\n\r\nbody. with dots.\r\n");
            assertThat(written.array()).as("written from the chunk's own memory").isSameAs(memory);
        } finally {
            written.release();
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void eachChunkIsWrittenAsOneBuffer() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        channel.writeOutbound(new MessageChunk(allocator.copyOf(".a\r\nb\r\n.c")));
        ByteBuf written = channel.readOutbound();
        try {
            assertThat(latin1(written)).isEqualTo("..a\r\nb\r\n..c");
        } finally {
            written.release();
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aDotAddedToADirectChunkLeavesItDirectSoTheSocketTakesItWithoutACopy() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        channel.writeOutbound(new MessageChunk(allocator.directBuffer(16).writeBytes(".a\r\nb\r\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1))));
        ByteBuf written = channel.readOutbound();
        try {
            assertThat(latin1(written)).isEqualTo("..a\r\nb\r\n");
            assertThat(written.isDirect()).isTrue();
        } finally {
            written.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---- stuffed data, relayed unread

    @Test
    void stuffedChunksAreWrittenAsTheyAreFromTheirOwnMemory() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        ByteBuf content = allocator.copyOf("a\r\n..b\r\n");
        byte[] memory = content.array();
        channel.writeOutbound(MessageChunk.asSent(content));
        ByteBuf written = channel.readOutbound();
        try {
            assertThat(latin1(written)).isEqualTo("a\r\n..b\r\n");
            assertThat(written.array()).as("written from the chunk's own memory").isSameAs(memory);
        } finally {
            written.release();
        }
        channel.writeOutbound(EndOfMessage.INSTANCE);
        assertThat(drainWritten(channel)).isEqualTo(".\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stuffedDataEndsWithACrLfBeforeTheDotWhateverTheChunks() {
        assertThat(encode(List.of(MessageChunk.asSent(allocator.copyOf("a\r\nb")), EndOfMessage.INSTANCE)))
                .isEqualTo("a\r\nb\r\n.\r\n");
        assertThat(encode(List.of(MessageChunk.asSent(allocator.copyOf("a\r")), MessageChunk.asSent(allocator.copyOf("\n")),
                EndOfMessage.INSTANCE))).isEqualTo("a\r\n.\r\n");
        assertThat(encode(List.of(MessageChunk.asSent(allocator.copyOf("a\n")), EndOfMessage.INSTANCE)))
                .isEqualTo("a\n\r\n.\r\n");
        assertThat(encode(List.of(MessageChunk.asSent(allocator.copyOf("")), EndOfMessage.INSTANCE))).isEqualTo(".\r\n");
    }

    @Test
    void aMessageIsWrittenInOneFormOnly() {
        EmbeddedChannel channel = channel(allocator, new SmtpClientEncoder());
        channel.writeOutbound(new MessageChunk(allocator.copyOf("a\r\n")));
        assertThatThrownBy(() -> channel.writeOutbound(MessageChunk.asSent(allocator.copyOf("..b\r\n"))))
                .isInstanceOf(EncoderException.class);
        channel.writeOutbound(EndOfMessage.INSTANCE);
        channel.writeOutbound(MessageChunk.asSent(allocator.copyOf("..b\r\n")), EndOfMessage.INSTANCE);
        assertThat(drainWritten(channel)).isEqualTo("a\r\n.\r\n..b\r\n.\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
