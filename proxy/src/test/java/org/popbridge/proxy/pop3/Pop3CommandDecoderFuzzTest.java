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
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.DecoderFeed;
import org.popbridge.proxy.testing.FuzzOctets;
import org.popbridge.proxy.testing.FuzzOctets.Mutation;
import org.popbridge.proxy.testing.TrackingAllocator;

/**
 * Proves on random and mangled client input, cut into random reads, that {@link Pop3CommandDecoder}
 * never throws, leaks nothing, holds less than a line limit, and decodes exactly what a plain
 * model of its contract says (so the reads' boundaries change nothing); that commands it
 * decodes go upstream as the octets the client sent; and that nothing sent after STLS in clear
 * text survives the discard.
 */
class Pop3CommandDecoderFuzzTest {

    private static final int LIMIT = Pop3CommandDecoder.RFC2449_COMMAND_LIMIT;

    @Property(tries = 2000)
    void arbitraryOctetsDecodeAsTheModelSays(
            @ForAll("octets") String input, @ForAll("limits") int limit, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(input, limit, FuzzOctets.cut(input, cuts));
    }

    @Property(tries = 2000)
    void mangledSessionsDecodeAsTheModelSays(@ForAll("sessions") String session, @ForAll("mutations") List<Mutation> mutations,
            @ForAll("limits") int limit, @ForAll("cuts") List<Integer> cuts) {
        String input = FuzzOctets.mutate(session, mutations);
        assertDecodesAsTheModelSays(input, limit, FuzzOctets.cut(input, cuts));
    }

    @Property(tries = 1000)
    void validSessionDecodesTheSameWhateverTheReads(@ForAll("sessions") String session, @ForAll("cuts") List<Integer> cuts) {
        List<Object> whole = decode(List.of(session), LIMIT);
        assertThat(decode(FuzzOctets.cut(session, cuts), LIMIT)).isEqualTo(whole);
        assertThat(decode(CodecInput.byteByByte(session), LIMIT)).isEqualTo(whole);
        assertThat(whole).doesNotHaveAnyElementsOfTypes(OverlongLine.class);
    }

    @Property(tries = 1000)
    void validSessionReEncodesToTheSameOctets(@ForAll("sessions") String session, @ForAll("cuts") List<Integer> cuts) {
        TrackingAllocator allocator = new TrackingAllocator();
        EmbeddedChannel upstream = CodecInput.channel(allocator, Pop3CommandEncoder.INSTANCE);
        for (Object command : decode(FuzzOctets.cut(session, cuts), LIMIT)) {
            upstream.writeOutbound(command);
        }
        assertThat(drainWritten(upstream)).isEqualTo(session);
        assertThat(upstream.finishAndReleaseAll()).isFalse();
        allocator.assertAllReleased();
    }

    /** STLS (RFC 2595 section 4): whatever the client sent after it in clear text, the first commands over TLS decode as on a new connection. */
    @Property(tries = 1000)
    void injectionAfterStlsLeavesNoTraceAfterTheDiscard(@ForAll("octets") String injected, @ForAll("sessions") String overTls,
            @ForAll("cuts") List<Integer> cuts) {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(LIMIT);
        ChannelInboundHandlerAdapter session = new ChannelInboundHandlerAdapter() {
            private boolean tls;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // Once: over TLS the same line is no longer a request to start it.
                if (!tls && msg instanceof Pop3Command command && command.line().equals("STLS")) {
                    tls = true;
                    decoder.discardBufferedInput();
                }
                ctx.fireChannelRead(msg);
            }
        };
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(List.of("STLS\r\n" + injected));
        List<Object> expected = new ArrayList<>(List.of(new Pop3Command("STLS")));
        expected.addAll(decode(List.of(overTls), LIMIT));
        assertThat(feed.feed(FuzzOctets.cut(overTls, cuts)).close().assertRaisedNothingBut().events()).isEqualTo(expected);
    }

    private static void assertDecodesAsTheModelSays(String input, int limit, List<String> reads) {
        DecoderFeed feed = new DecoderFeed(new Pop3CommandDecoder(limit)).feed(reads).close().assertRaisedNothingBut();
        assertThat(feed.events()).isEqualTo(model(input, limit));
        assertThat(feed.events()).allSatisfy(event -> {
            if (event instanceof Pop3Command command) {
                assertThat(command.line()).doesNotContain("\n").hasSizeLessThan(limit);
            }
        });
        // An endless line is dropped as it arrives, never buffered up.
        assertThat(feed.mostHeldUndecoded()).isLessThan(limit);
    }

    private static List<Object> decode(List<String> reads, int limit) {
        return new DecoderFeed(new Pop3CommandDecoder(limit)).feed(reads).close().assertRaisedNothingBut().events();
    }

    /**
     * What the decoder must pass on, from its contract: a line ends at LF, a CR before the LF is
     * not part of it; a line longer than the limit with its line end, or a last line already
     * at the limit without one, is one {@link OverlongLine}; a last line short of it is not yet a command.
     */
    static List<Object> model(String input, int limit) {
        List<Object> commands = new ArrayList<>();
        int start = 0;
        for (int lf = input.indexOf('\n'); lf >= 0; lf = input.indexOf('\n', start)) {
            if (lf + 1 - start > limit) {
                commands.add(new OverlongLine(limit));
            } else {
                String line = input.substring(start, lf);
                commands.add(new Pop3Command(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            }
            start = lf + 1;
        }
        if (input.length() - start >= limit) {
            commands.add(new OverlongLine(limit));
        }
        return commands;
    }

    // ---- generators

    @Provide
    Arbitrary<String> octets() {
        return FuzzOctets.octets(600);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return FuzzOctets.mutations(4);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return FuzzOctets.cuts(12);
    }

    /** Small limits, so lines hit them often, and the RFC's. */
    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(3, 40)),
                Tuple.of(1, Arbitraries.integers().between(41, 600)),
                Tuple.of(1, Arbitraries.just(LIMIT)));
    }

    /** What a client sends: known and unknown keywords in any case, arguments with any octet but CR and LF, CRLF. */
    @Provide
    Arbitrary<String> sessions() {
        Arbitrary<String> keyword = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("USER", "PASS", "APOP", "AUTH", "STAT", "LIST", "RETR", "DELE", "TOP",
                        "UIDL", "NOOP", "RSET", "QUIT", "CAPA", "STLS", "LAST", "user", "Retr")),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8)));
        Arbitrary<String> argument = FuzzOctets.octets(
                FuzzOctets.octet().filter(c -> c != '\r' && c != '\n'), 24)
                .map(text -> text.length() > 60 ? text.substring(0, 60) : text);
        Arbitrary<String> line = Combinators.combine(keyword, argument.list().ofMaxSize(3))
                .as((verb, arguments) -> verb + arguments.stream().map(a -> " " + a).reduce("", String::concat));
        return line.list().ofMaxSize(12).map(lines -> lines.stream().map(l -> l + "\r\n").reduce("", String::concat));
    }
}
