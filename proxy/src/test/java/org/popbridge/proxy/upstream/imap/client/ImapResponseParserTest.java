package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.testing.CodecInput;
import org.popbridge.proxy.testing.TrackingAllocator;
import org.popbridge.proxy.upstream.imap.client.FetchResponse.FetchLiteral;
import org.popbridge.proxy.upstream.imap.client.StatusResponse.Condition;

/** Lines as Dovecot, GreenMail, Gmail and the RFC examples write them. */
class ImapResponseParserTest {

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private static StatusResponse status(String text) {
        return (StatusResponse) ImapResponseParser.parse(text);
    }

    // ---- status responses

    @Test
    void dovecotGreetingWithCapabilities() {
        StatusResponse greeting = status(
                "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.");
        assertThat(greeting.isTagged()).isFalse();
        assertThat(greeting.condition()).isEqualTo(Condition.OK);
        assertThat(greeting.text()).isEqualTo("Dovecot (Debian) ready.");
        Capabilities capabilities = greeting.code("CAPABILITY").orElseThrow().capabilities();
        assertThat(capabilities.has("imap4rev1")).isTrue();
        assertThat(capabilities.has("LITERAL+")).isTrue();
        assertThat(capabilities.hasAuth("PLAIN")).isTrue();
        assertThat(capabilities.hasAuth("LOGIN")).isFalse();
        assertThat(capabilities.has("UIDPLUS")).isFalse();
        assertThat(capabilities.loginDisabled()).isFalse();
    }

    @Test
    void greenMailGreetingWithoutCode() {
        assertThat(status("* OK IMAP4rev1 Server GreenMail v2.1.3 ready"))
                .isEqualTo(new StatusResponse("*", Condition.OK, Optional.empty(), "IMAP4rev1 Server GreenMail v2.1.3 ready"));
    }

    @Test
    void taggedCompletions() {
        assertThat(status("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS MOVE] Logged in"))
                .isEqualTo(new StatusResponse("A1", Condition.OK,
                        Optional.of(new ResponseCode("CAPABILITY", "IMAP4rev1 UIDPLUS MOVE")), "Logged in"));
        StatusResponse failed = status("A2 NO [AUTHENTICATIONFAILED] Authentication failed.");
        assertThat(failed.isTagged()).isTrue();
        assertThat(failed.isOk()).isFalse();
        assertThat(failed.condition()).isEqualTo(Condition.NO);
        assertThat(failed.code("AUTHENTICATIONFAILED")).contains(new ResponseCode("AUTHENTICATIONFAILED", ""));
        assertThat(failed.text()).isEqualTo("Authentication failed.");
        assertThat(status("A3 NO LOGIN failed. Authentication failed.").code()).isEmpty();
        assertThat(status("a4 bad Error in IMAP command UID FETCH: Invalid uidset").condition()).isEqualTo(Condition.BAD);
        assertThat(status("A5 OK")).isEqualTo(new StatusResponse("A5", Condition.OK, Optional.empty(), ""));
        assertThat(status("A6 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).").code("READ-WRITE")).isPresent();
        assertThat(status("A7 OK [APPENDUID 38505 3955] APPEND completed").code().orElseThrow().arguments()).isEqualTo("38505 3955");
    }

    @Test
    void selectResponsesFromDovecot() {
        assertThat(ImapResponseParser.parse("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"))
                .isEqualTo(new UnparsedResponse("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"));
        assertThat(status("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.")
                .code("PERMANENTFLAGS").orElseThrow().arguments()).isEqualTo("(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)");
        assertThat(ImapResponseParser.parse("* 172 EXISTS")).isEqualTo(new ExistsResponse(172));
        assertThat(ImapResponseParser.parse("* 0 EXISTS")).isEqualTo(new ExistsResponse(0));
        assertThat(ImapResponseParser.parse("* 1 RECENT")).isEqualTo(new UnparsedResponse("* 1 RECENT"));
        StatusResponse validity = status("* OK [UIDVALIDITY 3857529045] UIDs valid");
        assertThat(validity.code("UIDVALIDITY").orElseThrow().number()).isEqualTo(3857529045L);
        assertThat(status("* OK [UIDNEXT 4392] Predicted next UID").code("UIDNEXT").orElseThrow().number()).isEqualTo(4392);
        assertThat(status("* OK [HIGHESTMODSEQ 715194045007]").code().orElseThrow().number()).isEqualTo(715194045007L);
    }

    @Test
    void untaggedByeAndPreauthAndNo() {
        assertThat(status("* BYE Logging out").condition()).isEqualTo(Condition.BYE);
        assertThat(status("* BYE [UNAVAILABLE] Server shutting down").code("UNAVAILABLE")).isPresent();
        assertThat(status("* PREAUTH [CAPABILITY IMAP4rev2] Logged in as Smith").condition()).isEqualTo(Condition.PREAUTH);
        assertThat(status("* NO [ALERT] System shutdown in 10 minutes").code("alert")).isPresent();
    }

    @Test
    void continuationRequests() {
        assertThat(ImapResponseParser.parse("+ Ready for literal data")).isEqualTo(new ContinuationRequest(Optional.empty(), "Ready for literal data"));
        assertThat(ImapResponseParser.parse("+")).isEqualTo(new ContinuationRequest(Optional.empty(), ""));
        assertThat(ImapResponseParser.parse("+ ")).isEqualTo(new ContinuationRequest(Optional.empty(), ""));
        assertThat(ImapResponseParser.parse("+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ="))
                .isEqualTo(new ContinuationRequest(Optional.empty(), "YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ="));
        assertThat(ImapResponseParser.parse("+ [ALERT] go on"))
                .isEqualTo(new ContinuationRequest(Optional.of(new ResponseCode("ALERT", "")), "go on"));
    }

    // ---- capabilities, enabled, expunges

    @Test
    void capabilityResponse() {
        Capabilities caps = (Capabilities) ImapResponseParser.parse(
                "* CAPABILITY IMAP4rev1 LITERAL+ SORT UIDPLUS IDLE QUOTA AUTH=PLAIN LOGINDISABLED");
        assertThat(caps.names()).containsExactly("IMAP4REV1", "LITERAL+", "SORT", "UIDPLUS", "IDLE", "QUOTA", "AUTH=PLAIN", "LOGINDISABLED");
        assertThat(caps.has("uidplus")).isTrue();
        assertThat(caps.loginDisabled()).isTrue();
        assertThat(ImapResponseParser.parse("* capability IMAP4rev2 ")).isEqualTo(new Capabilities(java.util.Set.of("IMAP4rev2")));
    }

    @Test
    void enabledResponse() {
        assertThat(ImapResponseParser.parse("* ENABLED UTF8=ACCEPT"))
                .isEqualTo(new EnabledResponse(Capabilities.parse("UTF8=ACCEPT")));
        assertThat(((EnabledResponse) ImapResponseParser.parse("* ENABLED")).enabled().names()).isEmpty();
    }

    @Test
    void expungeAndVanished() {
        assertThat(ImapResponseParser.parse("* 44 EXPUNGE")).isEqualTo(new ExpungeResponse(44));
        VanishedResponse earlier = (VanishedResponse) ImapResponseParser.parse("* VANISHED (EARLIER) 41,43:116,118,120:211,214:540");
        assertThat(earlier.earlier()).isTrue();
        assertThat(earlier.uids().ranges()).containsExactly(
                new UidSet.Range(41, 41), new UidSet.Range(43, 116), new UidSet.Range(118, 118),
                new UidSet.Range(120, 211), new UidSet.Range(214, 540));
        assertThat(earlier.uids().contains(42)).isFalse();
        assertThat(earlier.uids().contains(43)).isTrue();
        assertThat(earlier.uids().contains(540)).isTrue();
        assertThat(earlier.uids().contains(541)).isFalse();
        VanishedResponse now = (VanishedResponse) ImapResponseParser.parse("* VANISHED 405,407,410:408");
        assertThat(now.earlier()).isFalse();
        assertThat(now.uids().ranges()).containsExactly(new UidSet.Range(405, 405), new UidSet.Range(407, 407), new UidSet.Range(408, 410));
        assertThat(((VanishedResponse) ImapResponseParser.parse("* VANISHED 1:4294967295")).uids().contains(4294967295L)).isTrue();
    }

    @Test
    void searchResults() {
        assertThat(ImapResponseParser.parse("* SEARCH 2 84 882")).isEqualTo(new SearchResponse(List.of(2L, 84L, 882L)));
        assertThat(ImapResponseParser.parse("* SEARCH")).isEqualTo(new SearchResponse(List.of()));
        assertThat(ImapResponseParser.parse("* SEARCH 2 5 (MODSEQ 917162500)")).isEqualTo(new SearchResponse(List.of(2L, 5L)));
    }

    // ---- FETCH

    @Test
    void snapshotFetchLines() {
        assertThat(ImapResponseParser.fetch("* 1 FETCH (UID 4 RFC822.SIZE 4402 FLAGS (\\Seen))")).isEqualTo(new FetchResponse(
                1, OptionalLong.of(4), OptionalLong.of(4402), Optional.of(List.of("\\Seen")), List.of(), Optional.empty()));
        // GreenMail and Gmail put the items in other orders.
        FetchResponse greenMail = ImapResponseParser.fetch("* 2 FETCH (FLAGS (\\Seen \\Answered $Forwarded) UID 17 RFC822.SIZE 315)");
        assertThat(greenMail.uid()).hasValue(17);
        assertThat(greenMail.rfc822Size()).hasValue(315);
        assertThat(greenMail.flags()).contains(List.of("\\Seen", "\\Answered", "$Forwarded"));
        assertThat(greenMail.isComplete()).isTrue();
        FetchResponse noFlags = ImapResponseParser.fetch("* 3 fetch (uid 9 rfc822.size 0 FLAGS ())");
        assertThat(noFlags.flags()).contains(List.of());
        assertThat(noFlags.rfc822Size()).hasValue(0);
        FetchResponse unsolicited = ImapResponseParser.fetch("* 5 FETCH (FLAGS (\\Deleted) MODSEQ (12121231000))");
        assertThat(unsolicited.uid()).isEmpty();
        assertThat(unsolicited.rfc822Size()).isEmpty();
        assertThat(unsolicited.flags()).contains(List.of("\\Deleted"));
    }

    @Test
    void fetchTextEndingInALiteralNamesTheItemWhoseOctetsFollow() {
        FetchResponse body = ImapResponseParser.fetch("* 12 FETCH (UID 7 RFC822.SIZE 4402 BODY[] {4402}");
        assertThat(body.messageNumber()).isEqualTo(12);
        assertThat(body.uid()).hasValue(7);
        assertThat(body.isComplete()).isFalse();
        assertThat(body.pendingLiteral()).contains(new FetchLiteral("BODY[]", 4402));
        assertThat(body.literals()).containsExactly(new FetchLiteral("BODY[]", 4402));

        FetchResponse partial = ImapResponseParser.fetch("* 3 FETCH (UID 9 BODY[]<0> {2048}");
        assertThat(partial.pendingLiteral()).contains(new FetchLiteral("BODY[]<0>", 2048));
        FetchResponse binary = ImapResponseParser.fetch("* 3 FETCH (BINARY[] ~{77}");
        assertThat(binary.pendingLiteral()).contains(new FetchLiteral("BINARY[]", 77));
        FetchResponse fields = ImapResponseParser.fetch("* 4 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT \"X-]\" FROM)] {40}");
        assertThat(fields.pendingLiteral()).contains(new FetchLiteral("BODY[HEADER.FIELDS (SUBJECT \"X-]\" FROM)]", 40));
        FetchResponse envelope = ImapResponseParser.fetch("* 5 FETCH (UID 3 ENVELOPE (\"Mon, 7 Feb 1994\" {12}");
        assertThat(envelope.pendingLiteral()).contains(new FetchLiteral("ENVELOPE", 12));
        assertThat(envelope.literals()).isEmpty();
    }

    @Test
    void joinedTextsOfAResponseWithLiterals() {
        // Gmail may send UID and FLAGS after the body: only the whole response tells them.
        FetchResponse whole = ImapResponseParser.fetch("* 1 FETCH (BODY[HEADER] {13} BINARY[]<0> ~{5} UID 7 FLAGS (\\Seen))");
        assertThat(whole.isComplete()).isTrue();
        assertThat(whole.uid()).hasValue(7);
        assertThat(whole.flags()).contains(List.of("\\Seen"));
        assertThat(whole.literals()).containsExactly(new FetchLiteral("BODY[HEADER]", 13), new FetchLiteral("BINARY[]<0>", 5));
        FetchResponse nested = ImapResponseParser.fetch(
                "* 2 FETCH (ENVELOPE (\"d\" {2} ((\"A\" NIL \"a\" \"b.c\")) NIL) BODY[] NIL UID 8 RFC822.SIZE 0)");
        assertThat(nested.uid()).hasValue(8);
        assertThat(nested.literals()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "* 1 FETCH UID 7",
        "* 1 FETCH (UID 7",
        "* 1 FETCH (UID 7 RFC822.SIZE)",
        "* 1 FETCH (UID x)",
        "* 1 FETCH (UID 0)",
        "* 0 FETCH (UID 1)",
        "* 1 FETCH (UID 99999999999999999999)",
        "* 1 FETCH (FLAGS (\\Seen)",
        "* 1 FETCH (UID 7) trailing",
        "* 1 FETCH (BODY[] \"unterminated)",
        "* 1 FETCH (ENVELOPE (\"d\" NIL)",
        "* 0 EXPUNGE",
        "* VANISHED 1,,2",
        "* VANISHED 0:3",
        "* VANISHED *",
        "* VANISHED (LATER) 1",
        "* SEARCH 1 x",
        "A1 MAYBE later",
        "A1",
        "* ",
    })
    void malformedKnownResponsesThrow(String text) {
        assertThatThrownBy(() -> ImapResponseParser.parse(text)).isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void responseCodeWithoutANumber() {
        assertThatThrownBy(() -> status("* OK [UIDVALIDITY abc] x").code().orElseThrow().number())
                .isInstanceOf(ImapSyntaxException.class);
        assertThatThrownBy(() -> status("* OK [ALERT] x").code().orElseThrow().capabilities())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fetchOfAnotherResponseIsRefused() {
        assertThatThrownBy(() -> ImapResponseParser.fetch("* 3 EXISTS")).isInstanceOf(ImapSyntaxException.class);
    }

    @Test
    void unknownResponsesAreLeftAsText() {
        for (String text : List.of("* LIST (\\HasNoChildren) \"/\" INBOX", "* STATUS INBOX (MESSAGES 3)", "* ESEARCH (TAG \"A1\") UID ALL 1:3",
                "* 3 XSOMETHING", "* NAMESPACE ((\"\" \"/\")) NIL NIL")) {
            assertThat(ImapResponseParser.parse(text)).isEqualTo(new UnparsedResponse(text));
        }
    }

    // ---- the decoder and the parser together, as a session would use them

    @Test
    void aConsumerTellsWhichItemEachLiteralIsAndKeepsOnlyTheBody() {
        String body = "Subject: x\r\n\r\n)\r\n{5}\r\n";
        String wire = "* 3 FETCH (FLAGS (\\Seen))\r\n"
                + "* 12 FETCH (UID 7 BODY[HEADER.FIELDS (SUBJECT)] {14}\r\nSubject: x\r\n\r\n BODY[] {" + body.length() + "}\r\n"
                + body + " FLAGS (\\Seen))\r\nA9 OK Fetch completed.\r\n";
        EmbeddedChannel channel = CodecInput.channel(allocator, new ImapResponseDecoder());
        CodecInput.byteByByte(wire).forEach(piece -> channel.writeInbound(allocator.copyOf(piece)));

        StringBuilder response = new StringBuilder();
        StringBuilder streamed = new StringBuilder();
        List<ImapResponse> complete = new ArrayList<>();
        boolean streaming = false;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof ResponseLine line) {
                response.append(line.text());
                if (line.endsWithLiteral()) {
                    FetchLiteral next = ImapResponseParser.fetch(response.toString()).pendingLiteral().orElseThrow();
                    streaming = next.item().equals("BODY[]");
                } else {
                    complete.add(ImapResponseParser.parse(response.toString()));
                    response.setLength(0);
                }
            } else if (msg instanceof LiteralChunk chunk) {
                try {
                    if (streaming) {
                        streamed.append(CodecInput.latin1(chunk.content()));
                    }
                } finally {
                    chunk.release();
                }
            } else if (msg == LiteralEnd.INSTANCE) {
                streaming = false;
            }
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(streamed.toString()).isEqualTo(body);
        assertThat(complete).hasSize(3);
        FetchResponse fetch = (FetchResponse) complete.get(1);
        assertThat(fetch.uid()).hasValue(7);
        assertThat(fetch.literals()).extracting(FetchLiteral::item).containsExactly("BODY[HEADER.FIELDS (SUBJECT)]", "BODY[]");
        assertThat(((StatusResponse) complete.get(2)).isOk()).isTrue();
    }
}
