package org.popbridge.proxy.pop3;

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
import org.popbridge.proxy.pop3.CodecFixtures.ScriptedFraming;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.DecoderFeed;
import org.popbridge.proxy.testing.DecoderFeed.Octets;
import org.popbridge.proxy.testing.FuzzOctets;
import org.popbridge.proxy.testing.FuzzOctets.Mutation;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * Proves on random and mangled upstream replies, cut into random reads, that
 * {@link Pop3ReplyDecoder} raises nothing but its own DecoderException, leaks nothing, holds at
 * most a status line, and decodes exactly what a plain model of RFC 1939 framing says; that
 * re-encoding what it decodes from a valid session gives the upstream's octets back; and that
 * nothing appended to the +OK to STLS survives the discard.
 */
class Pop3ReplyDecoderFuzzTest {

    private static final String TOO_LONG = "upstream reply line longer than";
    private static final String UNASKED = "upstream sent a reply nobody asked for";
    private static final String NO_STATUS = "upstream reply without +OK or -ERR";

    @Property(tries = 2000)
    void arbitraryOctetsDecodeAsTheModelSays(@ForAll("octets") String input, @ForAll("framings") List<Boolean> framing,
            @ForAll("limits") int limit, @ForAll("cuts") List<Integer> cuts) {
        // Most random input is refused at its first line; start with a status line to reach the body decoding too.
        assertDecodesAsTheModelSays("+OK\r\n" + input, framing, limit, cuts);
    }

    @Property(tries = 2000)
    void mangledSessionsDecodeAsTheModelSays(@ForAll("sessions") List<Reply> session, @ForAll("mutations") List<Mutation> mutations,
            @ForAll("limits") int limit, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(FuzzOctets.mutate(wire(session), mutations), multilineOnOk(session), limit, cuts);
    }

    @Property(tries = 1000)
    void validSessionDecodesTheSameWhateverTheReads(@ForAll("sessions") List<Reply> session, @ForAll("cuts") List<Integer> cuts) {
        String wire = wire(session);
        List<Object> expected = new ArrayList<>();
        session.forEach(reply -> expected.addAll(reply.events()));
        assertThat(decode(session, List.of(wire))).isEqualTo(expected);
        assertThat(decode(session, FuzzOctets.cut(wire, cuts))).isEqualTo(expected);
        assertThat(decode(session, CodecInput.byteByByte(wire))).isEqualTo(expected);
    }

    /** Relays as the proxy does: each reply decoded is written to the client at once; the client gets the upstream's octets. */
    @Property(tries = 1000)
    void validSessionReEncodesToTheSameOctets(@ForAll("sessions") List<Reply> session, @ForAll("cuts") List<Integer> cuts) {
        String wire = wire(session);
        TrackingAllocator allocator = new TrackingAllocator();
        EmbeddedChannel upstream = CodecInput.channel(allocator, new Pop3ReplyDecoder(framing(session)));
        EmbeddedChannel client = CodecInput.channel(allocator, new Pop3ReplyEncoder());
        for (String read : FuzzOctets.cut(wire, cuts)) {
            upstream.writeInbound(allocator.copyOf(read));
            Object reply;
            while ((reply = upstream.readInbound()) != null) {
                client.writeOutbound(reply);
            }
        }
        assertThat(drainWritten(client)).isEqualTo(wire);
        assertThat(upstream.finishAndReleaseAll()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
        allocator.assertAllReleased();
    }

    /** STLS to the upstream: whatever a man in the middle appends to its +OK, the replies over TLS decode as on a new connection. */
    @Property(tries = 1000)
    void injectionAfterStlsReplyLeavesNoTraceAfterTheDiscard(@ForAll("octets") String injected, @ForAll("sessions") List<Reply> overTls,
            @ForAll("cuts") List<Integer> cuts) {
        List<Boolean> framing = new ArrayList<>(List.of(false));
        framing.addAll(multilineOnOk(overTls));
        Pop3ReplyDecoder decoder = new Pop3ReplyDecoder(new ScriptedFraming(framing.toArray(Boolean[]::new)));
        ChannelInboundHandlerAdapter session = new ChannelInboundHandlerAdapter() {
            private boolean tls;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // Once: over TLS the same line is no longer a request to start it.
                if (!tls && msg.equals(StatusLine.ok("Begin TLS"))) {
                    tls = true;
                    decoder.discardBufferedInput();
                }
                ctx.fireChannelRead(msg);
            }
        };
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(List.of("+OK Begin TLS\r\n" + injected));
        List<Object> expected = new ArrayList<>(List.of(StatusLine.ok("Begin TLS")));
        overTls.forEach(reply -> expected.addAll(reply.events()));
        assertThat(feed.feed(FuzzOctets.cut(wire(overTls), cuts)).close().assertRaisedNothingBut().events()).isEqualTo(expected);
    }

    private static void assertDecodesAsTheModelSays(String input, List<Boolean> framing, int limit, List<Integer> cuts) {
        Model model = Model.of(input, framing, limit);
        DecoderFeed feed = new DecoderFeed(new Pop3ReplyDecoder(new ScriptedFraming(framing.toArray(Boolean[]::new)), limit))
                .feed(FuzzOctets.cut(input, cuts))
                .close();
        if (model.refusal() == null) {
            feed.assertRaisedNothingBut();
        } else {
            feed.assertRaisedNothingBut(model.refusal());
            assertThat(feed.failure()).as("refused, as the model is").isNotNull();
        }
        assertThat(feed.events()).isEqualTo(model.events());
        // A status line is held until its end, at most the limit; of a body at most an undecided ".\r".
        assertThat(feed.mostHeldUndecoded()).isLessThanOrEqualTo(limit);
    }

    private static List<Object> decode(List<Reply> session, List<String> reads) {
        return new DecoderFeed(new Pop3ReplyDecoder(framing(session))).feed(reads).close().assertRaisedNothingBut().events();
    }

    /**
     * What the decoder must pass on, from RFC 1939 section 3 and its Javadoc: a status line per
     * awaited reply; after a +OK to a multi-line command the body, unstuffed (a "." starting a line,
     * after any LF, is dropped), up to the "." CRLF line; a body cut off ends in no end marker and
     * keeps back a "." or ".\r" that may yet be the terminator.
     */
    record Model(List<Object> events, String refusal) {

        static Model of(String s, List<Boolean> framing, int limit) {
            List<Object> events = new ArrayList<>();
            int replies = 0;
            int at = 0;
            while (true) {
                int lf = s.indexOf('\n', at);
                if (lf < 0) {
                    return new Model(events, s.length() - at > limit ? TOO_LONG : null);
                }
                if (lf + 1 - at > limit) {
                    return new Model(events, TOO_LONG);
                }
                if (replies == framing.size()) {
                    return new Model(events, UNASKED);
                }
                StatusLine status = StatusLine.parse(s.substring(at, lf > at && s.charAt(lf - 1) == '\r' ? lf - 1 : lf));
                if (status == null) {
                    return new Model(events, NO_STATUS);
                }
                events.add(status);
                at = lf + 1;
                if (framing.get(replies++) && status.status() == StatusLine.Status.OK) {
                    at = body(s, at, events);
                    if (at < 0) {
                        return new Model(events, null);
                    }
                }
            }
        }

        /** Adds the body starting at {@code at} and its end; returns where the next reply starts, or -1 if the body never ends. */
        private static int body(String s, int at, List<Object> events) {
            StringBuilder content = new StringBuilder();
            boolean lineStart = true;
            while (at < s.length()) {
                char c = s.charAt(at);
                if (lineStart && c == '.') {
                    if (s.startsWith(".\r\n", at)) {
                        addContent(content, events);
                        events.add(EndOfMultiline.INSTANCE);
                        return at + 3;
                    }
                    if (s.length() - at == 1 || s.length() - at == 2 && s.charAt(at + 1) == '\r') {
                        break;
                    }
                    at++;
                    lineStart = false;
                    continue;
                }
                content.append(c);
                lineStart = c == '\n';
                at++;
            }
            addContent(content, events);
            return -1;
        }

        private static void addContent(StringBuilder content, List<Object> events) {
            if (!content.isEmpty()) {
                events.add(new Octets(content.toString()));
            }
        }
    }

    // ---- generators

    /** One reply of a valid session, as the upstream sends it, with what the decoder passes on for it. */
    record Reply(String wire, boolean multilineOnOk, List<Object> events) {
    }

    private static String wire(List<Reply> session) {
        return session.stream().map(Reply::wire).reduce("", String::concat);
    }

    private static List<Boolean> multilineOnOk(List<Reply> session) {
        return session.stream().map(Reply::multilineOnOk).toList();
    }

    private static ScriptedFraming framing(List<Reply> session) {
        return new ScriptedFraming(multilineOnOk(session).toArray(Boolean[]::new));
    }

    @Provide
    Arbitrary<String> octets() {
        return FuzzOctets.octets(600);
    }

    @Provide
    Arbitrary<List<Boolean>> framings() {
        return Arbitraries.of(true, false).list().ofMaxSize(12);
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
    Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(3, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 600)),
                Tuple.of(1, Arbitraries.just(Pop3ReplyDecoder.DEFAULT_STATUS_LINE_LIMIT)));
    }

    /**
     * Replies as a server sends them, in the form the encoder writes back ("+OK" without text has
     * no space, a line ends in CRLF): status text of any octets but LF; bodies of any octets,
     * stuffed and terminated; +OK to a multi-line command always with a body.
     */
    @Provide
    Arbitrary<List<Reply>> sessions() {
        Arbitrary<String> text = FuzzOctets.octets(FuzzOctets.octet().filter(c -> c != '\n'), 16)
                .map(t -> t.length() > 200 ? t.substring(0, 200) : t);
        Arbitrary<StatusLine> status = Combinators.combine(Arbitraries.of(StatusLine.Status.class), text).as(StatusLine::new);
        Arbitrary<String> body = FuzzOctets.octets(FuzzOctets.octetOf(".\r\nab\0\u00ff"), 60);
        Arbitrary<Reply> singleLine = Combinators.combine(status, Arbitraries.of(true, false))
                .as((line, multiline) -> multiline && line.status() == StatusLine.Status.OK
                        ? new Reply(line.line() + "\r\n", false, List.of(line))
                        : new Reply(line.line() + "\r\n", multiline, List.of(line)));
        Arbitrary<Reply> multiLine = Combinators.combine(text, body).as((t, b) -> {
            StatusLine line = StatusLine.ok(t);
            String stuffed = CodecFixtures.multilineWire(b);
            String delivered = CodecFixtures.asDelivered(b);
            List<Object> events = new ArrayList<>(List.of(line));
            if (!delivered.isEmpty()) {
                events.add(new Octets(delivered));
            }
            events.add(EndOfMultiline.INSTANCE);
            return new Reply(line.line() + "\r\n" + stuffed, true, events);
        });
        return Arbitraries.frequencyOf(Tuple.of(1, singleLine), Tuple.of(1, multiLine)).list().ofMaxSize(8);
    }
}
