package org.popbridge.proxy.upstream.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpReplyEncoder;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.DecoderFeed;
import org.popbridge.proxy.testing.FuzzOctets;
import org.popbridge.proxy.testing.FuzzOctets.Mutation;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * Proves on random and mangled server replies, cut into random reads, that {@link SmtpReplyDecoder}
 * raises nothing but its own DecoderException, leaks nothing, holds less than a line, and decodes
 * exactly what a plain model of RFC 5321 section 4.2 says; that the proxy's
 * {@link SmtpReplyEncoder} writes what it decodes from a valid stream back octet for octet; and
 * that nothing appended to the 220 to STARTTLS survives the discard.
 */
class SmtpReplyDecoderFuzzTest {

    private static final String LINE_TOO_LONG = "submission server reply line longer than";
    private static final String MALFORMED = "malformed submission server reply line (";
    private static final String TOO_MANY_LINES = "submission server reply longer than";

    @Property(tries = 2000)
    void arbitraryOctetsDecodeAsTheModelSays(@ForAll("octets") String input, @ForAll("lineLimits") int lineLimit,
            @ForAll("maxLines") int maxLines, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(input, lineLimit, maxLines, cuts);
    }

    @Property(tries = 2000)
    void mangledRepliesDecodeAsTheModelSays(@ForAll("replies") List<SmtpReply> replies, @ForAll("mutations") List<Mutation> mutations,
            @ForAll("lineLimits") int lineLimit, @ForAll("maxLines") int maxLines, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(FuzzOctets.mutate(encode(replies), mutations), lineLimit, maxLines, cuts);
    }

    @Property(tries = 1000)
    void validRepliesDecodeTheSameWhateverTheReads(@ForAll("replies") List<SmtpReply> replies, @ForAll("cuts") List<Integer> cuts) {
        String wire = encode(replies);
        assertThat(decode(List.of(wire))).isEqualTo(replies);
        assertThat(decode(FuzzOctets.cut(wire, cuts))).isEqualTo(replies);
        assertThat(decode(CodecInput.byteByByte(wire))).isEqualTo(replies);
    }

    /** What the server wrote in the one form the encoder has (a space after the code of the last line) comes back unchanged. */
    @Property(tries = 1000)
    void validRepliesReEncodeToTheSameOctets(@ForAll("replies") List<SmtpReply> replies, @ForAll("cuts") List<Integer> cuts) {
        String wire = encode(replies);
        assertThat(encode(decode(FuzzOctets.cut(wire, cuts)))).isEqualTo(wire);
    }

    /** STARTTLS to the upstream (RFC 3207 section 6): whatever a man in the middle appends to its 220, the replies over TLS decode as on a new connection. */
    @Property(tries = 1000)
    void injectionAfterStarttlsReplyLeavesNoTraceAfterTheDiscard(@ForAll("octets") String injected,
            @ForAll("replies") List<SmtpReply> overTls, @ForAll("cuts") List<Integer> cuts) {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        SmtpReply ready = SmtpReply.of(220, "2.0.0 Ready to start TLS");
        ChannelInboundHandlerAdapter session = new ChannelInboundHandlerAdapter() {
            private boolean tls;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // Once: over TLS the same line is no longer a request to start it.
                if (!tls && msg.equals(ready)) {
                    tls = true;
                    decoder.discardBufferedInput();
                }
                ctx.fireChannelRead(msg);
            }
        };
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(List.of(encode(List.of(ready)) + injected));
        List<Object> expected = new ArrayList<>(List.of(ready));
        expected.addAll(overTls);
        assertThat(feed.feed(FuzzOctets.cut(encode(overTls), cuts)).close().assertRaisedNothingBut().events()).isEqualTo(expected);
    }

    private static void assertDecodesAsTheModelSays(String input, int lineLimit, int maxLines, List<Integer> cuts) {
        Model model = Model.of(input, lineLimit, maxLines);
        DecoderFeed feed = new DecoderFeed(new SmtpReplyDecoder(lineLimit, maxLines)).feed(FuzzOctets.cut(input, cuts)).close();
        if (model.refusal() == null) {
            feed.assertRaisedNothingBut();
        } else {
            feed.assertRaisedNothingBut(model.refusal());
            assertThat(feed.failure()).as("refused, as the model is").isNotNull();
        }
        assertThat(feed.events()).isEqualTo(model.replies());
        assertThat(feed.events()).allSatisfy(reply -> assertThat(((SmtpReply) reply).lines()).hasSizeLessThanOrEqualTo(maxLines)
                .allSatisfy(text -> assertThat(text).doesNotContain("\n").hasSizeLessThan(lineLimit)));
        assertThat(feed.mostHeldUndecoded()).isLessThan(lineLimit);
    }

    private static List<Object> decode(List<String> reads) {
        return new DecoderFeed(new SmtpReplyDecoder()).feed(reads).close().assertRaisedNothingBut().events();
    }

    private static String encode(List<?> replies) {
        TrackingAllocator allocator = new TrackingAllocator();
        EmbeddedChannel channel = CodecInput.channel(allocator, new SmtpReplyEncoder());
        replies.forEach(channel::writeOutbound);
        String written = drainWritten(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        allocator.assertAllReleased();
        return written;
    }

    /**
     * What the decoder must pass on, from RFC 5321 section 4.2 and its Javadoc: lines end at LF
     * (a CR before it dropped) within the line limit; each starts with a code of 200 to 599 and a
     * "-" (more lines follow), a space or nothing (the last line); all lines of a reply have its
     * code, and at most {@code maxLines}. Anything else is refused and ends the decoding.
     */
    record Model(List<Object> replies, String refusal) {

        static Model of(String s, int lineLimit, int maxLines) {
            List<Object> replies = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            int code = 0;
            int at = 0;
            while (true) {
                int lf = s.indexOf('\n', at);
                if (lf < 0 || lf - at >= lineLimit) {
                    return new Model(replies, lf >= 0 || s.length() - at >= lineLimit ? LINE_TOO_LONG : null);
                }
                String line = s.substring(at, lf > at && s.charAt(lf - 1) == '\r' ? lf - 1 : lf);
                at = lf + 1;
                if (!line.matches("(?s)[0-9]{3}([- ].*)?") || Integer.parseInt(line.substring(0, 3)) < 200
                        || Integer.parseInt(line.substring(0, 3)) > 599) {
                    return new Model(replies, MALFORMED);
                }
                int lineCode = Integer.parseInt(line.substring(0, 3));
                if (!lines.isEmpty() && lineCode != code) {
                    return new Model(replies, MALFORMED);
                }
                if (lines.size() == maxLines) {
                    return new Model(replies, TOO_MANY_LINES);
                }
                code = lineCode;
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    replies.add(new SmtpReply(code, lines));
                    lines.clear();
                }
            }
        }
    }

    // ---- generators

    @Provide
    Arbitrary<String> octets() {
        return FuzzOctets.octetsWith(300, "250-", "250 ", "250", "354 ", "550-", "199 ", "600 ", "\r\n", "220 ready\r\n");
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return FuzzOctets.mutations(4);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return FuzzOctets.cuts(12);
    }

    @Provide
    Arbitrary<Integer> lineLimits() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 600)),
                Tuple.of(1, Arbitraries.just(SmtpReplyDecoder.DEFAULT_LINE_LIMIT)));
    }

    @Provide
    Arbitrary<Integer> maxLines() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 6)),
                Tuple.of(1, Arbitraries.just(SmtpReplyDecoder.DEFAULT_MAX_LINES)));
    }

    /** Replies a server may send: codes 200-599, one to ten lines of any octets but CR and LF. */
    @Provide
    Arbitrary<List<SmtpReply>> replies() {
        Arbitrary<String> text = FuzzOctets.octets(FuzzOctets.octet().filter(c -> c != '\r' && c != '\n'), 20)
                .map(t -> t.length() > 300 ? t.substring(0, 300) : t);
        return Combinators.combine(Arbitraries.integers().between(200, 599), text.list().ofMinSize(1).ofMaxSize(10))
                .as(SmtpReply::new)
                .list().ofMaxSize(8);
    }
}
