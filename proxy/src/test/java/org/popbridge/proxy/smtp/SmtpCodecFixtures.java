package org.popbridge.proxy.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.popbridge.proxy.testing.TrackingAllocator;
import org.popbridge.proxy.upstream.smtp.SmtpClientEncoder;

/** Shared pieces of the SMTP codec tests; octet strings are ISO-8859-1 {@code String}s, one char per octet. */
final class SmtpCodecFixtures {

    private SmtpCodecFixtures() {
    }

    static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    /** Every octet from 0x80 to 0xFF, in order. */
    static String eightBitOctets() {
        StringBuilder s = new StringBuilder();
        for (int b = 0x80; b <= 0xFF; b++) {
            s.append((char) b);
        }
        return s.toString();
    }

    // ---- an independent model of what a client sends after 354 (RFC 5321 sections 4.1.1.4, 4.5.2)

    /** Dot-stuffs message content: a "." is added before every line, ended by CRLF, that starts with ".". */
    static String dotStuff(String content) {
        StringBuilder wire = new StringBuilder(content.length() + 8);
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            boolean lineStart = i == 0 || (i >= 2 && content.charAt(i - 2) == '\r' && content.charAt(i - 1) == '\n');
            if (lineStart && c == '.') {
                wire.append('.');
            }
            wire.append(c);
        }
        return wire.toString();
    }

    /** The data of a message as a client sends it: stuffed content (ending in CRLF or empty), then ".". */
    static String dataWire(String content) {
        assertThat(content.isEmpty() || content.endsWith("\r\n")).as("content ends with CRLF").isTrue();
        return dotStuff(content) + ".\r\n";
    }

    /** Message contents that break naive relays; each is empty or ends in CRLF, as SMTP requires. */
    static Stream<Named<String>> trickyMessages() {
        return Stream.of(
                Named.of("lines starting with a dot", "Subject: dots\r\n\r\n.hidden\r\n. space\r\n.x.\r\n"),
                Named.of("a lone dot line inside", "before\r\n.\r\nafter\r\n"),
                Named.of("message that is a single dot line", ".\r\n"),
                Named.of("two dots", "..\r\n"),
                Named.of("three dots", "...\r\n"),
                Named.of("dot lines in a row", ".\r\n.\r\n..\r\n.\r\n"),
                Named.of("8-bit octets 0x80-0xFF", "Subject: 8bit\r\n\r\n" + eightBitOctets() + "\r\n." + eightBitOctets() + "\r\n"),
                Named.of("998-octet line", repeat('x', 998) + "\r\n"),
                Named.of("998-octet line starting with a dot", "." + repeat('y', 997) + "\r\n"),
                Named.of("10,000-octet line", "a\r\n" + repeat('z', 10_000) + "\r\n.b\r\n"),
                Named.of("empty message", ""),
                Named.of("only CRLF", "\r\n"),
                Named.of("blank lines", "\r\n\r\n\r\n"),
                Named.of("CR without LF", "a\rb\r\n\r.\r\nc\r\r\n"),
                Named.of("dot CR then x", ".\rx\r\n"),
                Named.of("bare LF then dot line is content", "x\n.\r\ny\r\n"),
                Named.of("bare LF lines", "a\n.b\n.\n\n\r\n"),
                Named.of("terminator look-alike inside", "a\r\n.\r\n\r\n.\r\n.x\r\n"),
                Named.of("NUL and controls", "\0.\r\n\u0001\u007f\r\n"));
    }

    /** The tricky messages short enough to cut at every pair of places. */
    static Stream<Named<String>> shortTrickyMessages() {
        return trickyMessages().filter(message -> message.getPayload().length() <= 64);
    }

    /**
     * What the server must get for a message's content, whoever sent it how: a "." is added before
     * every "." at the start of the content or after any LF (a server may take a bare LF for a line
     * end), then the end of data.
     */
    static String upstreamWire(String content) {
        StringBuilder wire = new StringBuilder(content.length() + 8);
        boolean lineStart = true;
        for (char c : content.toCharArray()) {
            if (lineStart && c == '.') {
                wire.append('.');
            }
            wire.append(c);
            lineStart = c == '\n';
        }
        return wire.append(".\r\n").toString();
    }

    // ---- channels

    /** The form a session asks the decoder for: unstuffed to read the message, stuffed to relay it unread. */
    enum DataForm { UNSTUFFED, STUFFED }

    /**
     * What a relay sent the server for the message after the first DATA: the octets, whether it
     * sent the end, and what the decoder counted at the end (or when the client went away).
     */
    record Relayed(String upstream, boolean ended, long octets) {
        @Override
        public String toString() {
            return "Relayed[" + visible(upstream) + ", ended " + ended + ", " + octets + " octets]";
        }
    }

    /**
     * Relays as the proxy does: the client's reads go through {@link SmtpCommandDecoder}, which is
     * told of the message in {@code form} either from inside the read that decoded DATA or
     * ({@code late}) after every read; the message data and its end go to a
     * {@link SmtpClientEncoder} as they come; then the client goes away.
     */
    static Relayed relay(TrackingAllocator allocator, List<String> reads, DataForm form, boolean late) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel upstream = channel(allocator, new SmtpClientEncoder());
        Runnable expect = form == DataForm.STUFFED ? decoder::expectStuffedMessage : decoder::expectMessage;
        boolean[] sawData = {false};
        long[] countedAtEnd = {-1};
        EmbeddedChannel client = channel(allocator, decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof MessageChunk data) {
                    boolean stuffed = data.stuffed();
                    upstream.writeOutbound(data);
                    assertThat(stuffed).as("the form asked for").isEqualTo(form == DataForm.STUFFED);
                } else if (msg == EndOfMessage.INSTANCE && countedAtEnd[0] < 0) {
                    countedAtEnd[0] = decoder.messageOctets();
                    upstream.writeOutbound(msg);
                } else if (msg instanceof SmtpCommand command && command.keyword().equals("DATA") && !sawData[0]) {
                    sawData[0] = true;
                    if (!late) {
                        expect.run();
                    }
                }
            }
        });
        for (String read : reads) {
            client.writeInbound(allocator.copyOf(read));
        }
        if (late && sawData[0]) {
            expect.run();
        }
        assertThat(client.finishAndReleaseAll()).isFalse();
        boolean ended = countedAtEnd[0] >= 0;
        Relayed relayed = new Relayed(drainWritten(upstream), ended, ended ? countedAtEnd[0] : decoder.messageOctets());
        assertThat(upstream.finishAndReleaseAll()).isFalse();
        return relayed;
    }

    /** Message content as received, joined from consecutive chunks. */
    record Content(String latin1) {
        @Override
        public String toString() {
            return "Content[" + visible(latin1) + "]";
        }
    }

    /**
     * Reads everything the channel passed on; consecutive unstuffed {@link MessageChunk}s are
     * joined into one {@link Content} and released.
     */
    static List<Object> drainInputs(EmbeddedChannel channel) {
        List<Object> events = new ArrayList<>();
        StringBuilder content = null;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof MessageChunk chunk && !chunk.stuffed()) {
                try {
                    assertThat(chunk.content().isReadable()).as("the decoder never passes on an empty chunk").isTrue();
                    content = content == null ? new StringBuilder() : content;
                    content.append(latin1(chunk.content()));
                } finally {
                    chunk.release();
                }
                continue;
            }
            if (content != null) {
                events.add(new Content(content.toString()));
                content = null;
            }
            events.add(msg);
        }
        if (content != null) {
            events.add(new Content(content.toString()));
        }
        return events;
    }

}
