package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.pop3.CodecFixtures.asDelivered;
import static org.popbridge.proxy.pop3.CodecFixtures.drainReplies;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineEvents;
import static org.popbridge.proxy.pop3.CodecFixtures.multilineWire;
import static org.popbridge.proxy.testing.CodecInput.channel;
import static org.popbridge.proxy.testing.CodecInput.cut;
import static org.popbridge.proxy.testing.CodecInput.visible;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.pop3.CodecFixtures.ScriptedFraming;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * Random bodies built from the octets that matter to dot-stuffing, cut at random places:
 * the decoder and the encoder must agree with an independent model of the wire, both ways.
 * The seed is fixed, so a failure reproduces.
 */
class DotStuffingRoundTripTest {

    private static final long SEED = 0x9090_3939L;
    private static final int BODIES = 500;
    private static final char[] ALPHABET = {'.', '\r', '\n', 'a', '\u00ff'};
    private static final StatusLine RETR_OK = StatusLine.ok("");
    private static final String RETR_OK_WIRE = "+OK\r\n";
    private static final String NEXT_WIRE = "+OK after\r\n";

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private static String randomBody(Random random) {
        int length = random.nextInt(41);
        StringBuilder body = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            body.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return body.toString();
    }

    /** Cuts {@code s} at 0 to 4 random places (possibly the same place twice, or its ends). */
    private static List<String> randomCut(Random random, String s) {
        int[] points = IntStream.range(0, random.nextInt(5)).map(i -> random.nextInt(s.length() + 1)).sorted().toArray();
        return cut(s, points);
    }

    @Test
    void decoderAndEncoderAgreeWithTheModelForRandomBodies() {
        Random random = new Random(SEED);
        for (int n = 0; n < BODIES; n++) {
            String original = randomBody(random);
            String wire = multilineWire(original);
            String delivered = asDelivered(original);
            String context = "body #" + n + " " + visible(original);

            // upstream octets -> replies: the body as the mailbox holds it, one end, the next reply intact
            List<String> wirePieces = randomCut(random, RETR_OK_WIRE + wire + NEXT_WIRE);
            List<Object> expected = new ArrayList<>(multilineEvents(RETR_OK, delivered));
            expected.add(StatusLine.ok("after"));
            assertThat(decode(wirePieces)).as(context + " cut " + wirePieces.stream().map(CodecInput::visible).toList())
                    .isEqualTo(expected);

            // replies -> client octets: stuffed exactly as the upstream would have
            List<String> chunks = randomCut(random, original);
            assertThat(encode(chunks)).as(context + " chunks " + chunks.stream().map(CodecInput::visible).toList())
                    .isEqualTo(RETR_OK_WIRE + wire);

            // encode(decode(wire)) == wire
            assertThat(relay(randomCut(random, RETR_OK_WIRE + wire))).as(context + " relayed").isEqualTo(RETR_OK_WIRE + wire);

            // the same, for a body the relay passes on as the server sent it
            assertThat(relay(ScriptedFraming.asSent(true), randomCut(random, RETR_OK_WIRE + wire)))
                    .as(context + " relayed as sent").isEqualTo(RETR_OK_WIRE + wire);

            // decode(encode(body)) == body
            List<String> deliveredChunks = randomCut(random, delivered);
            assertThat(decode(List.of(encode(deliveredChunks)))).as(context + " re-read")
                    .isEqualTo(multilineEvents(RETR_OK, delivered));
        }
    }

    private List<Object> decode(List<String> pieces) {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyDecoder(new ScriptedFraming(true, false)));
        for (String piece : pieces) {
            channel.writeInbound(allocator.copyOf(piece));
        }
        channel.finish();
        List<Object> events = drainReplies(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return events;
    }

    private String encode(List<String> chunks) {
        EmbeddedChannel channel = channel(allocator, new Pop3ReplyEncoder());
        channel.writeOutbound(RETR_OK);
        for (String chunk : chunks) {
            channel.writeOutbound(new ContentChunk(allocator.copyOf(chunk)));
        }
        channel.writeOutbound(EndOfMultiline.INSTANCE);
        String written = drainWritten(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return written;
    }

    private String relay(List<String> pieces) {
        return relay(new ScriptedFraming(true), pieces);
    }

    private String relay(ReplyFraming framing, List<String> pieces) {
        EmbeddedChannel upstream = channel(allocator, new Pop3ReplyDecoder(framing));
        EmbeddedChannel client = channel(allocator, new Pop3ReplyEncoder());
        for (String piece : pieces) {
            upstream.writeInbound(allocator.copyOf(piece));
            Object reply;
            while ((reply = upstream.readInbound()) != null) {
                client.writeOutbound(reply);
            }
        }
        String written = drainWritten(client);
        assertThat(upstream.finishAndReleaseAll()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
        return written;
    }
}
