package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a parsed block holds: fields in order, names as spelled, unfolded values, raw octets. */
class HeaderBlockParseTest {

    private static HeaderBlock parse(String text) {
        return HeaderBlock.parse(Octets.of(text));
    }

    @Test
    void fieldsKeepOrderSpellingAndRawOctetsWithContinuationLines() {
        HeaderBlock block = parse("received: from a\r\n\tby b\r\nSUBJECT:  hi there \r\nX-Empty:\r\n\r\n");

        assertThat(block.fields()).extracting(HeaderField::name).containsExactly("received", "SUBJECT", "X-Empty");
        assertThat(block.fields()).extracting(HeaderField::raw)
                .containsExactly("received: from a\r\n\tby b\r\n", "SUBJECT:  hi there \r\n", "X-Empty:\r\n");
        assertThat(block.fields().get(0).toBytes()).isEqualTo(Octets.of("received: from a\r\n\tby b\r\n"));
        assertThat(block.terminated()).isTrue();
    }

    @Test
    void valueIsUnfoldedAndTrimmedAfterTheColonOnly() {
        HeaderBlock block = parse("Subject: \t a\r\n  b\r\n\tc  \r\nX-Empty:\r\nX-Space:   \r\n\r\n");

        // RFC 5322 3.2.2: the CRLF goes, the white space that follows it stays.
        assertThat(block.first("Subject")).contains("a  b\tc  ");
        assertThat(block.first("X-Empty")).contains("");
        assertThat(block.first("X-Space")).contains("");
    }

    @Test
    void valueIsUnfoldedWithBareLfLineEnds() {
        HeaderBlock block = parse("Subject: a\n b\n\n");

        assertThat(block.first("subject")).contains("a b");
        assertThat(block.fields().get(0).lineEnd()).isEqualTo("\n");
    }

    @Test
    void valueKeepsEightBitOctetsAsIso88591Chars() {
        HeaderBlock block = parse("Subject: Gr\u00c3\u00bc\u00c3\u009fe\r\n\r\n"); // "Grüße" in UTF-8

        assertThat(block.first("Subject")).contains("Gr\u00c3\u00bc\u00c3\u009fe");
    }

    @Test
    void whiteSpaceBeforeTheColonIsNotPartOfTheName() {
        HeaderBlock block = parse("Subject :hi\r\n\r\n");

        assertThat(block.fields().get(0).name()).isEqualTo("Subject");
        assertThat(block.first("Subject")).contains("hi");
    }

    @Test
    void lookupIgnoresAsciiCaseOnly() {
        HeaderBlock block = parse("Subject: one\r\nsubject: two\r\nSUBJECT: three\r\nTo: x\r\n\r\n");

        assertThat(block.first("sUbJeCt")).contains("one");
        assertThat(block.all("subject")).containsExactly("one", "two", "three");
        assertThat(block.all("Cc")).isEmpty();
        assertThat(block.first("Cc")).isEmpty();
        // U+017F LATIN SMALL LETTER LONG S upper-cases to 'S' in Java; it is not a field name.
        assertThat(block.first("\u017fubject")).isEmpty();
    }

    @Test
    void linesThatAreNotFieldsAreKeptButNotListed() {
        HeaderBlock block = parse("From sender@example.org Mon Jan  1 00:00:00 2024\r\n"
                + " stray continuation\r\n"
                + "From: sender@example.org\r\n"
                + "garbage\r\n"
                + "S\u00fcbject: 8-bit name\r\n"
                + "To: b\r\n\r\n");

        assertThat(block.fields()).extracting(HeaderField::raw)
                .containsExactly("From: sender@example.org\r\n", "To: b\r\n");
    }

    @Test
    void continuationLinesBeforeAnyFieldStayOutOfTheFirstField() {
        HeaderBlock block = parse(" stray\r\nSubject: x\r\n\r\n");

        assertThat(block.fields()).extracting(HeaderField::raw).containsExactly("Subject: x\r\n");
    }

    @Test
    void blockWithoutBlankLineIsUnterminated() {
        HeaderBlock endsWithCrlf = parse("From: a\r\nSubject: only headers\r\n");
        HeaderBlock cutShort = parse("From: a\r\nSubject: no line end");

        assertThat(endsWithCrlf.terminated()).isFalse();
        assertThat(endsWithCrlf.all("Subject")).containsExactly("only headers");
        assertThat(cutShort.terminated()).isFalse();
        assertThat(cutShort.fields()).extracting(HeaderField::raw).containsExactly("From: a\r\n", "Subject: no line end");
        assertThat(cutShort.first("Subject")).contains("no line end");
        assertThat(cutShort.fields().get(1).lineEnd()).isEmpty();
    }

    @Test
    void emptyBlocks() {
        HeaderBlock nothing = parse("");
        HeaderBlock blankLineOnly = parse("\r\n");

        assertThat(nothing.fields()).isEmpty();
        assertThat(nothing.terminated()).isFalse();
        assertThat(nothing.size()).isZero();
        assertThat(blankLineOnly.fields()).isEmpty();
        assertThat(blankLineOnly.terminated()).isTrue();
        assertThat(blankLineOnly.size()).isEqualTo(2);
    }

    @Test
    void whiteSpaceOnlyLineIsAContinuationNotTheEnd() {
        HeaderBlock block = parse("Subject: a\r\n \r\nTo: b\r\n\r\n");

        assertThat(block.fields()).extracting(HeaderField::raw).containsExactly("Subject: a\r\n \r\n", "To: b\r\n");
        assertThat(block.first("Subject")).contains("a ");
    }

    @Test
    void octetsAfterTheBlankLineAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> parse("Subject: x\r\n\r\nbody\r\n"))
                .withMessageContaining("offset 14");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("\r\n\r\n"));
    }

    @Test
    void fieldsListIsACopy() {
        HeaderBlock block = parse("To: a\r\n\r\n");
        List<HeaderField> before = block.fields();

        block.add("Cc", "b");

        assertThat(before).extracting(HeaderField::raw).containsExactly("To: a\r\n");
    }
}
