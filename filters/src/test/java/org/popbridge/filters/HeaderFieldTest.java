package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A field is its octets; name and value are read from them (RFC 5322 section 2.2, 3.2.2). */
class HeaderFieldTest {

    @Test
    void nameValueAndLineEndComeFromTheOctets() {
        HeaderField field = new HeaderField("X-Spam-Status : \tYes, score=7\r\n\ttests=A,B\r\n");

        assertThat(field.name()).isEqualTo("X-Spam-Status");
        assertThat(field.value()).isEqualTo("Yes, score=7\ttests=A,B");
        assertThat(field.lineEnd()).isEqualTo("\r\n");
        assertThat(field.toBytes()).isEqualTo(Octets.of("X-Spam-Status : \tYes, score=7\r\n\ttests=A,B\r\n"));
    }

    @Test
    void hasNameComparesAsciiCaseInsensitively() {
        HeaderField field = new HeaderField("Content-Type: text/plain\r\n");

        assertThat(field.hasName("content-TYPE")).isTrue();
        assertThat(field.hasName("Content-Typ")).isFalse();
        // U+212A KELVIN SIGN lower-cases to 'k' in Java; it is not the ASCII letter.
        assertThat(new HeaderField("K: v\r\n").hasName("\u212a")).isFalse();
    }

    @Test
    void everyOctetButCrAndLfSurvivesInTheValue() {
        String octets = Octets.allOctetsButLineBreaks();
        HeaderField field = new HeaderField("X-All:" + octets + "\r\n");

        // Only the leading tab and space after the colon are trimmed.
        assertThat(field.value()).isEqualTo(octets.replaceFirst("^[\t ]+", ""));
        assertThat(field.value()).startsWith("\u0000");
        assertThat(field.value()).endsWith("\u00fe\u00ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "no colon\r\n",
        ": no name\r\n",
        "Bad Name: v\r\n",
        "Subject: v\r\nBcc: smuggled\r\n",
        "Subject: v\nX: smuggled",
        "Subject: v\r\n\r\nbody",
        " Subject: v\r\n",
        "Subject: \u20ac\r\n"})
    void octetsThatAreNotOneFieldAreRejected(String raw) {
        assertThatIllegalArgumentException().isThrownBy(() -> new HeaderField(raw));
    }
}
