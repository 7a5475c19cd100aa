package org.popbridge.proxy.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import org.popbridge.proxy.testing.TrackingAllocator;
import org.popbridge.proxy.upstream.smtp.SmtpClientEncoder;

/**
 * Proves on random and mangled client input, cut into random reads, with the session deciding on
 * DATA and STARTTLS at once or only after the read, that {@link SmtpCommandDecoder} never throws,
 * leaks nothing, holds at most a line (a message, at most an undecided ".\r"), counts message
 * octets right, and decodes exactly what a plain model of RFC 5321 framing says; that a message
 * it decodes goes upstream, restuffed, as the octets the client sent; that relayed unread, still
 * stuffed, any data reaches the server exactly as unstuffing and stuffing again would send it; and
 * that nothing sent after an accepted STARTTLS in clear text survives the discard.
 */
class SmtpCommandDecoderFuzzTest {

    private static final int LIMIT = SmtpCommandDecoder.RFC5321_COMMAND_LIMIT;

    @Property(tries = 2000)
    void arbitraryOctetsDecodeAsTheModelSays(@ForAll("octets") String input, @ForAll("limits") int limit,
            @ForAll("decisions") List<Boolean> acceptData, @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(input, limit, acceptData, late, cuts);
    }

    @Property(tries = 2000)
    void mangledSessionsDecodeAsTheModelSays(@ForAll("sessions") Session session, @ForAll("mutations") List<Mutation> mutations,
            @ForAll("limits") int limit, @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        assertDecodesAsTheModelSays(FuzzOctets.mutate(session.wire(), mutations), limit, session.acceptData(), late, cuts);
    }

    /** STARTTLS accepted drops what is buffered, which depends on the reads: no model, but nothing may break. */
    @Property(tries = 1000)
    void discardingAfterStarttlsLeavesTheDecoderSound(@ForAll("octets") String input, @ForAll("limits") int limit,
            @ForAll("decisions") List<Boolean> acceptData, @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(limit);
        DecidingSession session = new DecidingSession(decoder, acceptData, true, late);
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(FuzzOctets.cut(input, cuts), session::decideLate)
                .close().assertRaisedNothingBut();
        assertThat(session.miscounted).isEmpty();
        assertThat(feed.events()).allSatisfy(event -> assertWithinLimit(event, limit));
    }

    /** STARTTLS accepted (RFC 3207 section 6): whatever the client sent after it in clear text, the session over TLS decodes as on a new connection. */
    @Property(tries = 1000)
    void injectionAfterStarttlsLeavesNoTraceAfterTheDiscard(@ForAll("octets") String injected, @ForAll("sessions") Session overTls,
            @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        DecidingSession session = new DecidingSession(decoder, overTls.acceptData(), true, late);
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(List.of("STARTTLS\r\n" + injected), session::decideLate);
        List<Object> expected = new ArrayList<>(List.of(new SmtpCommand("STARTTLS")));
        expected.addAll(overTls.events());
        assertThat(feed.feed(FuzzOctets.cut(overTls.wire(), cuts), session::decideLate).close().assertRaisedNothingBut().events())
                .isEqualTo(expected);
    }

    @Property(tries = 1000)
    void validSessionDecodesTheSameWhateverTheReads(@ForAll("sessions") Session session, @ForAll("cuts") List<Integer> cuts) {
        for (boolean late : List.of(false, true)) {
            assertThat(decode(session, List.of(session.wire()), late)).as("one read").isEqualTo(session.events());
            assertThat(decode(session, FuzzOctets.cut(session.wire(), cuts), late)).as("cut").isEqualTo(session.events());
            assertThat(decode(session, CodecInput.byteByByte(session.wire()), late)).as("octet by octet").isEqualTo(session.events());
        }
    }

    /**
     * Relays as the proxy does, each chunk as it is decoded: the upstream gets the client's data
     * octet for octet. Only for contents without a "." after a bare LF: the decoder rightly keeps
     * that as content and the encoder stuffs it, for upstreams that take a bare LF for a line end.
     */
    @Property(tries = 1000)
    void messageDataReEncodesToTheSameOctets(@ForAll("contents") String content, @ForAll("cuts") List<Integer> cuts) {
        String data = SmtpCodecFixtures.dataWire(content.replaceAll("(?<!\r)\n\\.", "\n,"));
        TrackingAllocator allocator = new TrackingAllocator();
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        EmbeddedChannel client = CodecInput.channel(allocator, decoder);
        EmbeddedChannel upstream = CodecInput.channel(allocator, new SmtpClientEncoder());
        client.writeInbound(allocator.copyOf("DATA\r\n"));
        assertThat(client.<Object>readInbound()).isEqualTo(new SmtpCommand("DATA"));
        decoder.expectMessage();
        for (String read : FuzzOctets.cut(data, cuts)) {
            client.writeInbound(allocator.copyOf(read));
            Object input;
            while ((input = client.readInbound()) != null) {
                upstream.writeOutbound(input);
            }
        }
        assertThat(drainWritten(upstream)).isEqualTo(data);
        assertThat(client.finishAndReleaseAll()).isFalse();
        assertThat(upstream.finishAndReleaseAll()).isFalse();
        allocator.assertAllReleased();
    }

    /** Any octets after DATA, however read: the stuffed relay sends what the unstuffing one sends, ends alike and counts alike. */
    @Property(tries = 1000)
    void stuffedDataReachesTheServerAsUnstuffedDataStuffedAgain(@ForAll("octets") String afterData,
            @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        assertBothFormsRelayAlike(FuzzOctets.cut("DATA\r\n" + afterData, cuts), late);
    }

    /** The same for message data a client stuffed, then mangled: dots, CRs and LFs out of place. */
    @Property(tries = 1000)
    void mangledStuffedDataReachesTheServerAsUnstuffedDataStuffedAgain(@ForAll("contents") String content,
            @ForAll("mutations") List<Mutation> mutations, @ForAll boolean late, @ForAll("cuts") List<Integer> cuts) {
        String data = FuzzOctets.mutate(SmtpCodecFixtures.dataWire(content), mutations);
        assertBothFormsRelayAlike(FuzzOctets.cut("DATA\r\n" + data + "QUIT\r\n", cuts), late);
    }

    private static void assertBothFormsRelayAlike(List<String> reads, boolean late) {
        TrackingAllocator allocator = new TrackingAllocator();
        SmtpCodecFixtures.Relayed unstuffed = SmtpCodecFixtures.relay(allocator, reads, SmtpCodecFixtures.DataForm.UNSTUFFED, late);
        assertThat(SmtpCodecFixtures.relay(allocator, reads, SmtpCodecFixtures.DataForm.STUFFED, late)).isEqualTo(unstuffed);
        allocator.assertAllReleased();
    }

    private static void assertDecodesAsTheModelSays(String input, int limit, List<Boolean> acceptData, boolean late, List<Integer> cuts) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(limit);
        DecidingSession session = new DecidingSession(decoder, acceptData, false, late);
        DecoderFeed feed = new DecoderFeed(decoder, session).feed(FuzzOctets.cut(input, cuts), session::decideLate)
                .close().assertRaisedNothingBut();
        assertThat(feed.events()).isEqualTo(model(input, limit, acceptData));
        assertThat(session.miscounted).as("messageOctets() at each end").isEmpty();
        assertThat(feed.events()).allSatisfy(event -> assertWithinLimit(event, limit));
        if (!late) {
            // Late decisions hold input by design; decided at once, an endless line or message is never buffered up.
            assertThat(feed.mostHeldUndecoded()).isLessThanOrEqualTo(Math.max(limit - 1, 2));
        }
    }

    private static void assertWithinLimit(Object event, int limit) {
        if (event instanceof SmtpCommand command) {
            assertThat(command.line()).doesNotContain("\n").hasSizeLessThan(limit);
        }
    }

    private static List<Object> decode(Session session, List<String> reads, boolean late) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder();
        DecidingSession deciding = new DecidingSession(decoder, session.acceptData(), false, late);
        return new DecoderFeed(decoder, deciding).feed(reads, deciding::decideLate).close().assertRaisedNothingBut().events();
    }

    /**
     * The session's part: answers each DATA with 354 or a refusal as scripted (354 once the script
     * runs out), and STARTTLS with a refusal or, if {@code acceptStarttls}, the first one by
     * discarding what is buffered; either at once, from inside the decoder's read, or ({@code late}) after the read.
     * Checks {@link SmtpCommandDecoder#messageOctets()} at each message end.
     */
    static final class DecidingSession extends ChannelInboundHandlerAdapter {
        private final SmtpCommandDecoder decoder;
        private final List<Boolean> acceptData;
        private final boolean acceptStarttls;
        private final boolean late;
        private final Deque<Runnable> undecided = new ArrayDeque<>();
        private int dataCommands;
        private boolean tls;
        private long octets;
        final List<String> miscounted = new ArrayList<>();

        DecidingSession(SmtpCommandDecoder decoder, List<Boolean> acceptData, boolean acceptStarttls, boolean late) {
            this.decoder = decoder;
            this.acceptData = acceptData;
            this.acceptStarttls = acceptStarttls;
            this.late = late;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MessageChunk chunk && !chunk.stuffed()) {
                octets += chunk.content().readableBytes();
            } else if (msg == EndOfMessage.INSTANCE && decoder.messageOctets() != octets) {
                miscounted.add(decoder.messageOctets() + " counted, " + octets + " passed on");
            }
            ctx.fireChannelRead(msg);
            if (msg instanceof SmtpCommand command) {
                command.verb().ifPresent(verb -> {
                    if (verb == SmtpVerb.DATA) {
                        boolean accept = dataCommands >= acceptData.size() || acceptData.get(dataCommands);
                        dataCommands++;
                        decide(accept ? this::expectMessage : decoder::resumeCommands);
                    } else if (verb == SmtpVerb.STARTTLS) {
                        // Once: over TLS a session refuses STARTTLS (RFC 3207 section 4.2).
                        decide(acceptStarttls && !tls ? decoder::discardBufferedInput : decoder::resumeCommands);
                        tls |= acceptStarttls;
                    }
                });
            }
        }

        private void expectMessage() {
            octets = 0;
            decoder.expectMessage();
        }

        private void decide(Runnable decision) {
            if (late) {
                undecided.add(decision);
            } else {
                decision.run();
            }
        }

        /** Runs the decisions put off during the read; each may let the decoder go on to the next DATA. */
        void decideLate() {
            Runnable decision;
            while ((decision = undecided.poll()) != null) {
                decision.run();
            }
        }
    }

    /**
     * What the decoder must pass on, from RFC 5321 and its Javadoc, the session refusing STARTTLS:
     * command lines as in POP3 (LF ends a line, a CR before it is dropped, over the limit one
     * {@link SmtpOverlongLine}); after a DATA answered 354 the message, where only CRLF ends a
     * line, a "." starting a line is dropped, "." CRLF at a line start ends it, and at the end of
     * the input a "." or ".\r" at a line start is held back as it may yet be the end.
     */
    static List<Object> model(String s, int limit, List<Boolean> acceptData) {
        List<Object> events = new ArrayList<>();
        int dataCommands = 0;
        int at = 0;
        while (at >= 0) {
            int lf = s.indexOf('\n', at);
            if (lf < 0) {
                if (s.length() - at >= limit) {
                    events.add(new SmtpOverlongLine(limit));
                }
                break;
            }
            if (lf + 1 - at > limit) {
                events.add(new SmtpOverlongLine(limit));
                at = lf + 1;
                continue;
            }
            SmtpCommand command = new SmtpCommand(s.substring(at, lf > at && s.charAt(lf - 1) == '\r' ? lf - 1 : lf));
            events.add(command);
            at = lf + 1;
            if (command.verb().filter(verb -> verb == SmtpVerb.DATA).isPresent()) {
                boolean accept = dataCommands >= acceptData.size() || acceptData.get(dataCommands);
                dataCommands++;
                if (accept) {
                    at = message(s, at, events);
                }
            }
        }
        return events;
    }

    /** Adds the message starting at {@code at} and its end; returns where the commands go on, or -1 if it never ends. */
    private static int message(String s, int at, List<Object> events) {
        StringBuilder content = new StringBuilder();
        boolean lineStart = true;
        while (at < s.length()) {
            char c = s.charAt(at);
            if (lineStart && c == '.') {
                if (s.startsWith(".\r\n", at)) {
                    addContent(content, events);
                    events.add(EndOfMessage.INSTANCE);
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
            lineStart = c == '\n' && s.charAt(at - 1) == '\r';
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

    // ---- generators

    /** A valid session: its octets, the session's answer to each DATA, and what the decoder passes on. */
    record Session(String wire, List<Boolean> acceptData, List<Object> events) {
    }

    /** One step of a session: a command, a DATA with its message if accepted, or a refused STARTTLS. */
    private record Step(String wire, Boolean acceptData, List<Object> events) {
    }

    @Provide
    Arbitrary<String> octets() {
        return FuzzOctets.octetsWith(400, "DATA\r\n", "data\n", "STARTTLS\r\n", ".\r\n", "\r\n.\r\n", "..", "\r\n", "\n.\n");
    }

    @Provide
    Arbitrary<List<Boolean>> decisions() {
        return Arbitraries.of(true, false).list().ofMaxSize(6);
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
                Tuple.of(1, Arbitraries.just(LIMIT)));
    }

    /** Message content as SMTP has it: any octets, empty or ending in CRLF. */
    @Provide
    Arbitrary<String> contents() {
        return FuzzOctets.octets(FuzzOctets.octetOf(".\r\nab\0\u00ff"), 80)
                .map(content -> content.isEmpty() || content.endsWith("\r\n") ? content : content + "\r\n");
    }

    @Provide
    Arbitrary<Session> sessions() {
        Arbitrary<String> argument = FuzzOctets.octets(FuzzOctets.octet().filter(c -> c != '\r' && c != '\n'), 20)
                .map(text -> text.length() > 100 ? text.substring(0, 100) : text);
        Arbitrary<Step> command = Combinators.combine(
                        Arbitraries.of("EHLO", "HELO", "MAIL FROM:", "RCPT TO:", "RSET", "NOOP", "QUIT", "VRFY", "HELP", "AUTH",
                                "noop", "XCLIENT", "BDAT"),
                        argument)
                .as((keyword, text) -> keyword.endsWith(":") ? keyword + "<" + text + ">" : text.isEmpty() ? keyword : keyword + " " + text)
                .map(line -> new Step(line + "\r\n", null, List.of(new SmtpCommand(line))));
        Arbitrary<Step> data = Combinators.combine(Arbitraries.of("DATA", "data", "DATA x"), Arbitraries.of(true, false), contents())
                .as((line, accept, content) -> {
                    List<Object> events = new ArrayList<>(List.of(new SmtpCommand(line)));
                    if (!accept) {
                        return new Step(line + "\r\n", false, events);
                    }
                    if (!content.isEmpty()) {
                        events.add(new Octets(content));
                    }
                    events.add(EndOfMessage.INSTANCE);
                    return new Step(line + "\r\n" + SmtpCodecFixtures.dataWire(content), true, events);
                });
        Arbitrary<Step> starttls = Arbitraries.just(new Step("STARTTLS\r\n", null, List.of(new SmtpCommand("STARTTLS"))));
        return Arbitraries.frequencyOf(Tuple.of(4, command), Tuple.of(3, data), Tuple.of(1, starttls))
                .list().ofMaxSize(10)
                .map(steps -> new Session(
                        steps.stream().map(Step::wire).reduce("", String::concat),
                        steps.stream().map(Step::acceptData).filter(accept -> accept != null).toList(),
                        steps.stream().flatMap(step -> step.events().stream()).toList()));
    }
}
