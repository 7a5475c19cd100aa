package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.latin1;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared pieces of the IMAP codec tests; what POP3 and IMAP tests share is in
 * {@link org.popbridge.proxy.testing.CodecInput}.
 */
final class ImapCodecFixtures {

    private ImapCodecFixtures() {
    }

    /** Every octet 0x00-0xFF, in order. */
    static String allOctets() {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b <= 0xFF; b++) {
            s.append((char) b);
        }
        return s.toString();
    }

    /**
     * Reads everything the channel passed on; consecutive {@link LiteralChunk}s are joined
     * into one {@link Literal} and released.
     */
    static List<Object> drain(EmbeddedChannel channel) {
        List<Object> events = new ArrayList<>();
        StringBuilder literal = null;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof LiteralChunk chunk) {
                try {
                    assertThat(chunk.content().isReadable()).as("the decoder never passes on an empty chunk").isTrue();
                    if (literal == null) {
                        literal = new StringBuilder();
                    }
                    literal.append(latin1(chunk.content()));
                } finally {
                    chunk.release();
                }
                continue;
            }
            if (literal != null) {
                events.add(new Literal(literal.toString()));
                literal = null;
            }
            events.add(msg);
        }
        if (literal != null) {
            events.add(new Literal(literal.toString()));
        }
        return events;
    }

    static ResponseLine line(String text) {
        return ResponseLine.complete(text);
    }

    static ResponseLine lineWithLiteral(String text, long size, boolean afterLiteral) {
        return new ResponseLine(text, size, afterLiteral);
    }

    static ResponseLine tail(String text) {
        return new ResponseLine(text, ResponseLine.NO_LITERAL, true);
    }

    /** A literal as received, joined from its chunks. */
    record Literal(String latin1) {
        @Override
        public String toString() {
            return "Literal[" + visible(latin1) + "]";
        }
    }
}
