package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Values are written bare when they can be, quoted and escaped when they must be. */
class AuditLineTest {

    @Test
    void plainValuesAreBareAndAbsentOnesADash() {
        String line = new AuditLine().field("user", "alice").field("octets", 1532L).field("upstream", null).toString();

        assertThat(line).isEqualTo("user=alice octets=1532 upstream=-");
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "a b           | \"a b\"",
            "a=b           | \"a=b\"",
            "say \"hi\"    | \"say \\\"hi\\\"\"",
            "back\\slash   | \"back\\\\slash\"",
            "''            | \"\"",
            "-             | \"-\""})
    void valuesThatCouldBeMisreadAreQuoted(String value, String written) {
        assertThat(new AuditLine().field("v", value.strip()).toString()).isEqualTo("v=" + written.strip());
    }

    @Test
    void controlsAndLineSeparatorsAreEscaped() {
        String line = new AuditLine().field("v", "a\r\nb\tc\u0000d\u001be\u0085f\u2028g\u2029h\u007f").toString();

        assertThat(line).isEqualTo("v=\"a\\r\\nb\\tc\\u0000d\\u001be\\u0085f\\u2028g\\u2029h\\u007f\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ümlaut", "日本語", "x\"=\\ y", "\r\n", "end\\"})
    void everyValueReadsBackAsItWas(String value) {
        String line = new AuditLine().field("a", value).field("b", "after").toString();

        assertThat(AuditFields.parse(line)).containsExactly(Map.entry("a", value), Map.entry("b", "after"));
    }

    @Test
    void unicodeTextIsKeptReadable() {
        assertThat(new AuditLine().field("user", "jürgen").toString()).isEqualTo("user=jürgen");
    }

    @Test
    void fieldsKeepTheirOrder() {
        assertThat(AuditFields.keys(new AuditLine().field("z", 1).field("a", 2).field("m", 3).toString()))
                .isEqualTo(List.of("z", "a", "m"));
    }
}
