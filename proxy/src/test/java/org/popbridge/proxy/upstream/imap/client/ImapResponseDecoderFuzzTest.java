package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.DecoderFeed;
import org.popbridge.proxy.testing.DecoderFeed.Octets;
import org.popbridge.proxy.testing.FuzzOctets;
import org.popbridge.proxy.testing.FuzzOctets.Mutation;

/**
 * Proves on random and mangled server output, cut into random reads, that
 * {@link ImapResponseDecoder} raises nothing but its own DecoderException, leaks nothing, holds
 * at most a line, and decodes exactly what a plain model of RFC 9051 literal framing says; that
 * the parts it decodes from a valid stream, put back together, are the server's octets; and that
 * nothing appended to the OK to STARTTLS, a literal it opens included, survives the discard.
 */
class ImapResponseDecoderFuzzTest {

    private static final String TOO_LONG = "IMAP response line longer than";
    private static final String BAD_LITERAL = "IMAP response with ";
    private static final String STARTTLS_OK = "A1 OK Begin TLS negotiation now";

    @Property(tries = 2000)
    void arbitraryOctetsDecodeAsTheModelSays(@ForAll("octets") String input, @ForAll("limits") int limit,
            @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(input, limit, cuts);
    }

    @Property(tries = 2000)
    void mangledResponsesDecodeAsTheModelSays(@ForAll("responses") List<Response> responses,
            @ForAll("mutations") List<Mutation> mutations, @ForAll("limits") int limit, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(FuzzOctets.mutate(wire(responses), mutations), limit, cuts);
    }

    @Property(tries = 1000)
    void validResponsesDecodeTheSameWhateverTheReads(@ForAll("responses") List<Response> responses,
            @ForAll("cuts") List<Integer> cuts) {
        String wire = wire(responses);
        List<Object> expected = responses.stream().flatMap(response -> response.events().stream()).toList();
        assertThat(decode(List.of(wire))).isEqualTo(expected);
        assertThat(decode(FuzzOctets.cut(wire, cuts))).isEqualTo(expected);
        assertThat(decode(CodecInput.byteByByte(wire))).isEqualTo(expected);
    }

    /** No encoder of responses exists: each line's text and CRLF, then its literal's octets, must give the wire back. */
    @Property(tries = 1000)
    void validResponsesReassembleToTheSameOctets(@ForAll("responses") List<Response> responses, @ForAll("cuts") List<Integer> cuts) {
        String wire = wire(responses);
        StringBuilder reassembled = new StringBuilder();
        for (Object event : decode(FuzzOctets.cut(wire, cuts))) {
            if (event instanceof ResponseLine line) {
                reassembled.append(line.text()).append("\r\n");
            } else if (event instanceof Octets literal) {
                reassembled.append(literal.latin1());
            }
        }
        assertThat(reassembled.toString()).isEqualTo(wire);
    }

    /**
     * STARTTLS (RFC 9051 section 6.2.1): a man in the middle appends responses, cut off anywhere
     * (inside a literal too), to the server's OK. The session drops what is decoded until the TLS
     * handshake and has the decoder discard what is buffered; nothing of the injection may then
     * shape how the first responses over TLS are framed.
     */
    @Property(tries = 1000)
    void injectionBeforeTlsLeavesNoTraceAfterTheDiscard(@ForAll("responses") List<Response> injected, @ForAll("cuts") List<Integer> cutOff,
            @ForAll("responses") List<Response> overTls, @ForAll("cuts") List<Integer> cuts) {
        ImapResponseDecoder decoder = new ImapResponseDecoder();
        StartTlsSession session = new StartTlsSession(decoder);
        String injection = FuzzOctets.cut(wire(injected), cutOff).get(0);
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(List.of(STARTTLS_OK + "\r\n" + injection));
        session.tlsEstablished();
        feed.feed(FuzzOctets.cut(wire(overTls), cuts)).close().assertRaisedNothingBut();
        List<Object> expected = new ArrayList<>(List.of(ResponseLine.complete(STARTTLS_OK)));
        overTls.forEach(response -> expected.addAll(response.events()));
        assertThat(feed.events()).isEqualTo(expected);
    }

    /** Does what OpeningHandshake does on STARTTLS's OK: discards what is buffered, drops what is decoded until TLS is up. */
    private static final class StartTlsSession extends ChannelInboundHandlerAdapter {
        private final ImapResponseDecoder decoder;
        private boolean untilTls;

        StartTlsSession(ImapResponseDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (untilTls) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof ResponseLine line && line.text().equals(STARTTLS_OK)) {
                untilTls = true;
                decoder.discardBufferedInput();
            }
            ctx.fireChannelRead(msg);
        }

        void tlsEstablished() {
            untilTls = false;
        }
    }

    private static void assertDecodesAsTheModelSays(String input, int limit, List<Integer> cuts) {
        Model model = Model.of(input, limit);
        DecoderFeed feed = new DecoderFeed(new ImapResponseDecoder(limit)).feed(FuzzOctets.cut(input, cuts)).close();
        if (model.refusal() == null) {
            feed.assertRaisedNothingBut();
        } else {
            feed.assertRaisedNothingBut(model.refusal());
            assertThat(feed.failure()).as("refused, as the model is").isNotNull();
        }
        assertThat(feed.events()).isEqualTo(model.events());
        assertThat(feed.events()).allSatisfy(event -> {
            if (event instanceof ResponseLine line) {
                assertThat(line.text()).doesNotContain("\n").hasSizeLessThanOrEqualTo(limit);
            }
        });
        // Text is held until its line end, one octet over the limit at most (its CR); a literal is never held.
        assertThat(feed.mostHeldUndecoded()).isLessThanOrEqualTo(limit + 1L);
    }

    private static List<Object> decode(List<String> reads) {
        return new DecoderFeed(new ImapResponseDecoder()).feed(reads).close().assertRaisedNothingBut().events();
    }

    /**
     * What the decoder must pass on, from RFC 9051 sections 2.2.2 and 4.3 (with RFC 3516's
     * literal8) and its Javadoc: text up to LF, a CR before it dropped, at most the limit; text
     * ending in "{n}" or "~{n}" is followed by exactly n octets of literal, then its end, then the
     * rest of the same response; braces around digits and signs that are no size are refused, as
     * is text over the limit, and nothing is decoded after.
     */
    record Model(List<Object> events, String refusal) {

        static Model of(String s, int limit) {
            List<Object> events = new ArrayList<>();
            boolean afterLiteral = false;
            int at = 0;
            while (true) {
                int lf = s.indexOf('\n', at);
                if (lf < 0) {
                    return new Model(events, s.length() - at > limit + 1 ? TOO_LONG : null);
                }
                int end = lf > at && s.charAt(lf - 1) == '\r' ? lf - 1 : lf;
                if (end - at > limit) {
                    return new Model(events, TOO_LONG);
                }
                String text = s.substring(at, end);
                at = lf + 1;
                int open = text.lastIndexOf('{');
                String braced = text.endsWith("}") && open >= 0 ? text.substring(open + 1, text.length() - 1) : "x";
                if (!braced.matches("[0-9]+")) {
                    if (braced.matches("[0-9+-]*")) {
                        return new Model(events, BAD_LITERAL);
                    }
                    events.add(new ResponseLine(text, ResponseLine.NO_LITERAL, afterLiteral));
                    afterLiteral = false;
                    continue;
                }
                long size;
                try {
                    size = Long.parseLong(braced);
                } catch (NumberFormatException beyondLong) {
                    return new Model(events, BAD_LITERAL);
                }
                events.add(new ResponseLine(text, size, afterLiteral));
                afterLiteral = true;
                // The size may be up to Long.MAX_VALUE: compare with what is left, never add to it.
                boolean cutShort = size > s.length() - at;
                int literalEnd = cutShort ? s.length() : at + (int) size;
                if (literalEnd > at) {
                    events.add(new Octets(s.substring(at, literalEnd)));
                }
                if (cutShort) {
                    return new Model(events, null);
                }
                events.add(LiteralEnd.INSTANCE);
                at = literalEnd;
            }
        }
    }

    // ---- generators

    /** A valid response: its octets and what the decoder passes on for it. */
    record Response(String wire, List<Object> events) {
    }

    private static String wire(List<Response> responses) {
        return responses.stream().map(Response::wire).reduce("", String::concat);
    }

    @Provide
    Arbitrary<String> octets() {
        return FuzzOctets.octetsWith(300, "{0}\r\n", "{1}\r\n", "{5}\r\n", "~{3}\r\n", "{}", "{-1}", "{+2}",
                "{99999999999999999999}", "* OK ", "A1 OK done\r\n", "\r\n", "}");
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
                Tuple.of(4, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 600)),
                Tuple.of(1, Arbitraries.just(ImapResponseDecoder.DEFAULT_LINE_LIMIT)));
    }

    /**
     * Responses a server sends: a tagged, untagged or continuation line, or one with literals of
     * any octets (FETCH BODY[], literal8 BINARY[]) between its parts. The text holds no LF and
     * does not end in braces.
     */
    @Provide
    Arbitrary<List<Response>> responses() {
        Arbitrary<String> text = FuzzOctets.octets(FuzzOctets.octet().filter(c -> c != '\n' && c != '{' && c != '}'), 16)
                .map(t -> t.length() > 120 ? t.substring(0, 120) : t);
        Arbitrary<Response> simple = Combinators.combine(Arbitraries.of("* ", "A1 ", "+ ", "+", ""), text)
                .as((start, rest) -> new Response(start + rest + "\r\n", List.of(ResponseLine.complete(start + rest))));
        Arbitrary<String> literal = FuzzOctets.octets(FuzzOctets.octetOf("\r\n{}()~.0\u00ff"), 40);
        Arbitrary<Response> withLiterals = Combinators.combine(text, Arbitraries.of("{", "~{"), literal.list().ofMinSize(1).ofMaxSize(3), text)
                .as((head, open, literals, tail) -> {
                    StringBuilder wire = new StringBuilder();
                    List<Object> events = new ArrayList<>();
                    String part = "* 1 FETCH (" + head;
                    for (int i = 0; i < literals.size(); i++) {
                        String octets = literals.get(i);
                        String announced = part + " BODY[] " + open + octets.length() + "}";
                        wire.append(announced).append("\r\n").append(octets);
                        events.add(new ResponseLine(announced, octets.length(), i > 0));
                        if (!octets.isEmpty()) {
                            events.add(new Octets(octets));
                        }
                        events.add(LiteralEnd.INSTANCE);
                        part = "";
                    }
                    wire.append(tail).append(")\r\n");
                    events.add(new ResponseLine(tail + ")", ResponseLine.NO_LITERAL, true));
                    return new Response(wire.toString(), events);
                });
        return Arbitraries.frequencyOf(Tuple.of(1, simple), Tuple.of(1, withLiterals)).list().ofMaxSize(8);
    }
}
