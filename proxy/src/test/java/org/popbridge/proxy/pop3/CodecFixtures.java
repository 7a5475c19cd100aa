package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Shared pieces of the codec tests. Octet strings are held as ISO-8859-1 {@code String}s:
 * one char per octet, so every byte 0x00-0xFF survives and AssertJ shows readable diffs.
 */
final class CodecFixtures {

    private CodecFixtures() {
    }

    // ---- octets (the general helpers are in CodecInput)

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

    // ---- an independent model of what a POP3 server sends (RFC 1939 section 3)

    /** Dot-stuffs a body: a "." is inserted before every line that starts with ".". Lines end at LF. */
    static String dotStuff(String original) {
        StringBuilder wire = new StringBuilder(original.length() + 8);
        boolean lineStart = true;
        for (int i = 0; i < original.length(); i++) {
            char c = original.charAt(i);
            if (lineStart && c == '.') {
                wire.append('.');
            }
            wire.append(c);
            lineStart = c == '\n';
        }
        return wire.toString();
    }

    /** What a client must see as the body: the original, with CRLF added if its last line had none. */
    static String asDelivered(String original) {
        return original.isEmpty() || original.endsWith("\n") ? original : original + "\r\n";
    }

    /** The body of a multi-line reply as a server sends it: stuffed, its last line ended, then ".". */
    static String multilineWire(String original) {
        String stuffed = dotStuff(original);
        return (original.isEmpty() || original.endsWith("\n") ? stuffed : stuffed + "\r\n") + ".\r\n";
    }

    // ---- bodies that have broken POP3 relays

    static Stream<Named<String>> trickyBodies() {
        return Stream.of(
                Named.of("lines starting with a dot", "Subject: dots\r\n\r\n.hidden\r\n. space\r\n.x.\r\n"),
                Named.of("a line that is only a dot", "before\r\n.\r\nafter\r\n"),
                Named.of("body that is a single dot line", ".\r\n"),
                Named.of("two dots", "..\r\n"),
                Named.of("three dots", "...\r\n"),
                Named.of("dot lines in a row", ".\r\n.\r\n..\r\n.\r\n"),
                Named.of("8-bit octets 0x80-0xFF", "Subject: 8bit\r\n\r\n" + eightBitOctets() + "\r\n." + eightBitOctets() + "\r\n"),
                Named.of("998-octet line", repeat('x', 998) + "\r\n"),
                Named.of("998-octet line starting with a dot", "." + repeat('y', 997) + "\r\n"),
                Named.of("empty body", ""),
                Named.of("last line without CRLF", "first\r\nno line end"),
                Named.of("last line is a dot without CRLF", "first\r\n."),
                Named.of("only CRLF", "\r\n"),
                Named.of("blank lines", "\r\n\r\n\r\n"),
                Named.of("CR without LF", "a\rb\r\n\r.\r\nc\r"),
                Named.of("dot CR then x", ".\rx\r\n"),
                Named.of("body ending in dot CR", "x\r\n.\r"),
                Named.of("bare LF lines", "a\n.b\n.\n\n"),
                Named.of("terminator look-alike inside", "a\r\n.\r\n\r\n.\r\n.x\r\n"),
                Named.of("NUL and controls", "\0.\r\n\u0001\u007f\r\n"));
    }

    /** The tricky bodies short enough to cut at every pair of places. */
    static Stream<Named<String>> shortTrickyBodies() {
        return trickyBodies().filter(body -> body.getPayload().length() <= 64);
    }

    // ---- channels

    /**
     * Reads everything the channel passed on. Consecutive {@link ContentChunk}s are joined into
     * one {@link Body} (and released); other messages are returned as they are.
     */
    static List<Object> drainReplies(EmbeddedChannel channel) {
        return drainReplies(channel, false);
    }

    /** As {@link #drainReplies(EmbeddedChannel)}, checking that every chunk is {@code stuffed} or not. */
    static List<Object> drainReplies(EmbeddedChannel channel, boolean stuffed) {
        List<Object> events = new ArrayList<>();
        StringBuilder body = null;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof ContentChunk chunk) {
                try {
                    assertThat(chunk.content().isReadable()).as("the decoder never passes on an empty chunk").isTrue();
                    assertThat(chunk.stuffed()).as("chunk still dot-stuffed").isEqualTo(stuffed);
                    if (body == null) {
                        body = new StringBuilder();
                    }
                    body.append(latin1(chunk.content()));
                } finally {
                    chunk.release();
                }
                continue;
            }
            if (body != null) {
                events.add(new Body(body.toString()));
                body = null;
            }
            events.add(msg);
        }
        if (body != null) {
            events.add(new Body(body.toString()));
        }
        return events;
    }


    /** The expected events of a multi-line reply: the status, the body if not empty, the end. */
    static List<Object> multilineEvents(StatusLine status, String deliveredBody) {
        List<Object> events = new ArrayList<>();
        events.add(status);
        if (!deliveredBody.isEmpty()) {
            events.add(new Body(deliveredBody));
        }
        events.add(EndOfMultiline.INSTANCE);
        return events;
    }

    /** A reply body as received, joined from its chunks. */
    record Body(String latin1) {
        @Override
        public String toString() {
            return "Body[" + visible(latin1) + "]";
        }
    }

    /**
     * The reply framing of a scripted session: one entry per command sent, true when an +OK
     * reply to it is multi-line. Each status line consumes one entry.
     */
    static final class ScriptedFraming implements ReplyFraming {
        private final Deque<Boolean> pending = new ArrayDeque<>();
        private boolean bodiesAsSent;

        ScriptedFraming(Boolean... multilineOnOk) {
            pending.addAll(Arrays.asList(multilineOnOk));
        }

        /** Framing whose bodies all go to the client untouched, as a plain relay's do. */
        static ScriptedFraming asSent(Boolean... multilineOnOk) {
            ScriptedFraming framing = new ScriptedFraming(multilineOnOk);
            framing.bodiesAsSent = true;
            return framing;
        }

        @Override
        public boolean bodyAsSent() {
            return bodiesAsSent;
        }

        @Override
        public boolean awaitingReply() {
            return !pending.isEmpty();
        }

        @Override
        public boolean isMultiline(StatusLine.Status status) {
            return pending.removeFirst() && status == StatusLine.Status.OK;
        }
    }
}
