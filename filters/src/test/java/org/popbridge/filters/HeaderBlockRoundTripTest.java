package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An unedited block writes back exactly the octets it was parsed from (invariant 3, byte-exact relay). */
class HeaderBlockRoundTripTest {

    static Stream<Arguments> trickyBlocks() {
        return Stream.of(
                Arguments.of("plain CRLF", "From: a@example.org\r\nSubject: hi\r\n\r\n"),
                Arguments.of("folded with tabs and spaces",
                        "Received: from a\r\n\tby b\r\n    with ESMTP;\r\n \tMon, 1 Jan 2024 00:00:00 +0000\r\nSubject: x\r\n\r\n"),
                Arguments.of("every 8-bit octet", "X-All: " + Octets.allOctetsButLineBreaks() + "\r\nSubject: Gr\u00c3\u00bc\u00c3\u009fe\r\n\r\n"),
                Arguments.of("bare LF", "From: a@example.org\nSubject: hi\n continued\n\n"),
                Arguments.of("mixed CRLF and LF", "From: a\r\nSubject: b\n\tc\r\nTo: d\n\r\n"),
                Arguments.of("mbox From line at the top",
                        "From sender@example.org Mon Jan  1 00:00:00 2024\r\nFrom: sender@example.org\r\n\r\n"),
                Arguments.of("trailing white space", "Subject: hi  \t\r\nTo: x \r\n \r\n\r\n"),
                Arguments.of("white space before the colon", "Subject : hi\r\nTo\t:x\r\n\r\n"),
                Arguments.of("empty values", "X-Empty:\r\nX-Space: \r\nX-Folded-Empty:\r\n \r\n\r\n"),
                Arguments.of("very long line", "X-Long: " + "a".repeat(100_000) + "\r\n\r\n"),
                Arguments.of("very long folded field", ("X-Folded: start" + "\r\n\t" + "b".repeat(2_000)).repeat(3) + "\r\n\r\n"),
                Arguments.of("unterminated, ends with CRLF", "From: a\r\nSubject: only headers\r\n"),
                Arguments.of("unterminated, last line cut", "From: a\r\nSubject: no line end"),
                Arguments.of("empty", ""),
                Arguments.of("only the blank line", "\r\n"),
                Arguments.of("only a bare LF blank line", "\n"),
                Arguments.of("continuation line at the top", " stray\r\n\tmore\r\nSubject: x\r\n\r\n"),
                Arguments.of("line without colon in the middle", "From: a\r\ngarbage line\r\nTo: b\r\n\r\n"),
                Arguments.of("bare CR in a value and before CRLF", "Subject: a\rb\r\r\nX: \r\r\n\r\n"),
                Arguments.of("8-bit octet in a name", "S\u00fcbject: x\r\nTo: b\r\n\r\n"),
                Arguments.of("line starting with a colon", ": no name\r\nTo: b\r\n\r\n"),
                Arguments.of("NUL octets", "X-Nul: a\u0000b\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyBlocks")
    void unchangedBlockGivesBackTheInputOctets(String description, String text) {
        byte[] input = Octets.of(text);

        HeaderBlock block = HeaderBlock.parse(input.clone());

        assertThat(block.toBytes()).isEqualTo(input);
        assertThat(block.size()).isEqualTo(input.length);
    }
}
