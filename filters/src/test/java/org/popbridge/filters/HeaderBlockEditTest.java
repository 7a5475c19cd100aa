package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Edits change exactly the fields they name; every other octet stays as received. */
class HeaderBlockEditTest {

    private static final String TRICKY = "From sender@example.org Mon Jan  1 00:00:00 2024\r\n"
            + "Received: from a\r\n\tby b;\r\n Mon, 1 Jan 2024\r\n"
            + "subject :  Gr\u00c3\u00bc\u00c3\u009fe  \r\n"
            + "X-Spam-Flag: NO\r\n"
            + "garbage line\r\n"
            + "X-Empty:\r\n"
            + "X-SPAM-FLAG:\tyes\r\n"
            + "\r\n";

    private static final String LF = "From: a\nSubject: b\n c\nX-Trace: 1\n\n";

    static Stream<Arguments> edits() {
        return Stream.of(
                edit("add to a tricky block", TRICKY, b -> b.add("X-Popbridge", "tagged"),
                        TRICKY.replace("\r\n\r\n", "\r\nX-Popbridge: tagged\r\n\r\n")),
                edit("add with an empty value", TRICKY, b -> b.add("X-Note", ""),
                        TRICKY.replace("\r\n\r\n", "\r\nX-Note:\r\n\r\n")),
                edit("add keeps 8-bit octets of the value", TRICKY, b -> b.add("X-Note", "\u00e9\u00ff"),
                        TRICKY.replace("\r\n\r\n", "\r\nX-Note: \u00e9\u00ff\r\n\r\n")),
                edit("add to a bare LF block uses LF", LF, b -> b.add("X-New", "v"),
                        "From: a\nSubject: b\n c\nX-Trace: 1\nX-New: v\n\n"),
                edit("add to an unterminated block", "From: a\r\n", b -> b.add("X-New", "v"),
                        "From: a\r\nX-New: v\r\n"),
                edit("add after a last line cut short ends that line first", "From: a\r\nTo: b", b -> b.add("X-New", "v"),
                        "From: a\r\nTo: b\r\nX-New: v\r\n"),
                edit("add after a cut-short line that is not a field", "From: a\nno colon", b -> b.add("X-New", "v"),
                        "From: a\nno colon\nX-New: v\n"),
                edit("add to an empty block uses CRLF", "", b -> b.add("X-New", "v"), "X-New: v\r\n"),
                edit("add to a block of only the blank line", "\n", b -> b.add("X-New", "v"), "X-New: v\n\n"),
                edit("add twice", "To: a\r\n\r\n", b -> {
                    b.add("X-A", "1");
                    b.add("X-B", "2");
                }, "To: a\r\nX-A: 1\r\nX-B: 2\r\n\r\n"),

                edit("remove every occurrence, any case", TRICKY, b -> b.remove("x-spam-flag"),
                        TRICKY.replace("X-Spam-Flag: NO\r\n", "").replace("X-SPAM-FLAG:\tyes\r\n", "")),
                edit("remove a folded field", TRICKY, b -> b.remove("Received"),
                        TRICKY.replace("Received: from a\r\n\tby b;\r\n Mon, 1 Jan 2024\r\n", "")),
                edit("remove leaves lines that are not fields", "From x\r\ngarbage\r\n\r\n", b -> b.remove("From"),
                        "From x\r\ngarbage\r\n\r\n"),
                edit("remove an absent field changes nothing", LF, b -> b.remove("Cc"), LF),
                edit("remove the last line cut short", "From: a\r\nTo: b", b -> b.remove("To"), "From: a\r\n"),

                edit("rename keeps the value octets and spacing before the colon", TRICKY, b -> b.rename("Subject", "X-Original-Subject"),
                        TRICKY.replace("subject :  Gr", "X-Original-Subject :  Gr")),
                edit("rename every occurrence, keeping each value", TRICKY, b -> b.rename("X-Spam-Flag", "X-Upstream-Spam-Flag"),
                        TRICKY.replace("X-Spam-Flag: NO", "X-Upstream-Spam-Flag: NO")
                                .replace("X-SPAM-FLAG:\tyes", "X-Upstream-Spam-Flag:\tyes")),
                edit("rename keeps folding", TRICKY, b -> b.rename("received", "X-Received"),
                        TRICKY.replace("Received: from a", "X-Received: from a")),
                edit("rename keeps bare LF", LF, b -> b.rename("Subject", "Topic"), "From: a\nTopic: b\n c\nX-Trace: 1\n\n"),

                edit("set replaces the first in place and removes the others", TRICKY, b -> b.set("X-Spam-Flag", "YES"),
                        TRICKY.replace("X-Spam-Flag: NO\r\n", "X-Spam-Flag: YES\r\n").replace("X-SPAM-FLAG:\tyes\r\n", "")),
                edit("set a subject prefix keeps 8-bit octets", TRICKY,
                        b -> b.set("Subject", "[SPAM] " + b.first("Subject").orElseThrow()),
                        TRICKY.replace("subject :  Gr\u00c3\u00bc\u00c3\u009fe  \r\n", "Subject: [SPAM] Gr\u00c3\u00bc\u00c3\u009fe  \r\n")),
                edit("set replaces a folded field with one line", TRICKY, b -> b.set("Received", "x"),
                        TRICKY.replace("Received: from a\r\n\tby b;\r\n Mon, 1 Jan 2024\r\n", "Received: x\r\n")),
                edit("set keeps the replaced field's bare LF", LF, b -> b.set("Subject", "new"),
                        "From: a\nSubject: new\nX-Trace: 1\n\n"),
                edit("set keeps a last line that was cut short without a line end", "From: a\r\nTo: b", b -> b.set("To", "c"),
                        "From: a\r\nTo: c"),
                edit("set appends an absent field", LF, b -> b.set("X-Spam-Score", "7"),
                        "From: a\nSubject: b\n c\nX-Trace: 1\nX-Spam-Score: 7\n\n"),

                edit("every edit on one block", TRICKY, b -> {
                    b.remove("Received");
                    b.rename("Subject", "X-Original-Subject");
                    b.set("X-Spam-Flag", "YES");
                    b.add("Subject", "[SPAM] hello");
                    b.add("X-Spam-Score", "12");
                }, "From sender@example.org Mon Jan  1 00:00:00 2024\r\n"
                        + "X-Original-Subject :  Gr\u00c3\u00bc\u00c3\u009fe  \r\n"
                        + "X-Spam-Flag: YES\r\n"
                        + "garbage line\r\n"
                        + "X-Empty:\r\n"
                        + "Subject: [SPAM] hello\r\n"
                        + "X-Spam-Score: 12\r\n"
                        + "\r\n"));
    }

    private static Arguments edit(String description, String input, Consumer<HeaderBlock> change, String expected) {
        return Arguments.of(description, input, change, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void editGivesExactlyTheExpectedOctets(String description, String input, Consumer<HeaderBlock> change, String expected) {
        HeaderBlock block = HeaderBlock.parse(Octets.of(input));

        change.accept(block);

        assertThat(block.toBytes()).isEqualTo(Octets.of(expected));
        assertThat(block.size()).isEqualTo(Octets.of(expected).length);
        // What was written parses back to the same octets: the edit made a well-formed block.
        assertThat(HeaderBlock.parse(block.toBytes()).toBytes()).isEqualTo(Octets.of(expected));
    }

    @Test
    void aPrefixKeepsTheFoldingAndLineEndOfTheValue() {
        HeaderBlock block = HeaderBlock.parse(Octets.of("From: a\r\nSubject:  You are a winner\r\n\tof a folded line\r\n\r\n"));
        block.prefixFirst("subject", "[SPAM] ");
        assertThat(block.toBytes()).isEqualTo(
                Octets.of("From: a\r\nSubject:  [SPAM] You are a winner\r\n\tof a folded line\r\n\r\n"));

        HeaderBlock bare = HeaderBlock.parse(Octets.of("Subject:x\n\n"));
        bare.prefixFirst("Subject", "[SPAM] ");
        assertThat(bare.toBytes()).isEqualTo(Octets.of("Subject: [SPAM] x\n\n"));

        HeaderBlock none = HeaderBlock.parse(Octets.of("From: a\r\n\r\n"));
        none.prefixFirst("Subject", "[SPAM] ");
        assertThat(none.toBytes()).isEqualTo(Octets.of("From: a\r\nSubject: [SPAM]\r\n\r\n"));
        assertThatIllegalArgumentException().isThrownBy(() -> none.prefixFirst("Subject", "a\r\nBcc: x"));
    }

    @Test
    void editedFieldsAreSeenByQueries() {
        HeaderBlock block = HeaderBlock.parse(Octets.of(TRICKY));

        block.set("X-Spam-Flag", "YES");
        block.rename("Subject", "X-Original-Subject");
        block.add("X-Spam-Score", "12");

        assertThat(block.all("X-Spam-Flag")).containsExactly("YES");
        assertThat(block.first("Subject")).isEmpty();
        assertThat(block.first("x-original-subject")).contains("Gr\u00c3\u00bc\u00c3\u009fe  ");
        assertThat(block.first("X-Spam-Score")).contains("12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v\r\nBcc: victim@example.org", "v\nX-Injected: 1", "v\r", "\r\n", "v\r\n\r\nbody"})
    void valuesWithCrOrLfAreRejected(String value) {
        HeaderBlock block = HeaderBlock.parse(Octets.of(TRICKY));

        assertThatIllegalArgumentException().isThrownBy(() -> block.add("X-Note", value)).withMessageContaining("CR or LF");
        assertThatIllegalArgumentException().isThrownBy(() -> block.set("X-Note", value)).withMessageContaining("CR or LF");
        assertThatIllegalArgumentException().isThrownBy(() -> block.set("Subject", value)).withMessageContaining("CR or LF");
        assertThat(block.toBytes()).isEqualTo(Octets.of(TRICKY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Note", "X:Note", "X-Note\r\nBcc", "S\u00fcbject", "X\tNote", "X-\u0000", "X-\u007f"})
    void namesThatAreNotFieldNamesAreRejected(String name) {
        HeaderBlock block = HeaderBlock.parse(Octets.of(TRICKY));

        assertThatIllegalArgumentException().isThrownBy(() -> block.add(name, "v")).withMessageContaining("field name");
        assertThatIllegalArgumentException().isThrownBy(() -> block.set(name, "v")).withMessageContaining("field name");
        assertThatIllegalArgumentException().isThrownBy(() -> block.remove(name)).withMessageContaining("field name");
        assertThatIllegalArgumentException().isThrownBy(() -> block.rename("Subject", name)).withMessageContaining("field name");
        assertThatIllegalArgumentException().isThrownBy(() -> block.rename(name, "Subject")).withMessageContaining("field name");
        assertThat(block.toBytes()).isEqualTo(Octets.of(TRICKY));
    }

    @Test
    void valuesThatAreNotOctetStringsAreRejected() {
        HeaderBlock block = HeaderBlock.parse(Octets.of(TRICKY));

        // Values are octet strings; a char above U+00FF has no single octet to be written as.
        assertThatIllegalArgumentException().isThrownBy(() -> block.add("X-Note", "\u20ac")).withMessageContaining("not an octet");
        assertThat(block.toBytes()).isEqualTo(Octets.of(TRICKY));
    }
}
