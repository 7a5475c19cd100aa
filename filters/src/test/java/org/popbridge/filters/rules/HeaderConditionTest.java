package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;
import static org.popbridge.filters.rules.Mail.matches;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.HeaderBlock;

/** The header tests: is, contains, regex, exists and the numeric comparisons. */
class HeaderConditionTest {

    private static final HeaderBlock SPAM = headers(
            "From: a@b.example",
            "X-Spam-Flag:  yes  ",
            "Subject: You are a\r\n  WINNER today",
            "X-Spam-Score: 7.3 (threshold 5)",
            "Received: from one",
            "Received: from two");

    @Test
    void isComparesTheTrimmedValueWithoutCase() {
        assertThat(matches(map("header", "X-Spam-Flag", "is", "YES"), SPAM)).isTrue();
        assertThat(matches(map("header", "x-spam-flag", "is", " Yes "), SPAM)).isTrue();
        assertThat(matches(map("header", "X-Spam-Flag", "is", "YE"), SPAM)).isFalse();
        assertThat(matches(map("header", "X-Absent", "is", ""), SPAM)).isFalse();
    }

    @Test
    void isTakesAListAnyOfWhichMatches() {
        assertThat(matches(map("header", "X-Spam-Flag", "is", List.of("TRUE", "YES")), SPAM)).isTrue();
        assertThat(matches(map("header", "X-Spam-Flag", "is", List.of("TRUE", "NO")), SPAM)).isFalse();
    }

    @Test
    void anyOccurrenceOfTheHeaderMayMatch() {
        assertThat(matches(map("header", "Received", "is", "from two"), SPAM)).isTrue();
        assertThat(matches(map("header", "Received", "contains", "ONE"), SPAM)).isTrue();
        assertThat(matches(map("header", "Received", "regex", "two$"), SPAM)).isTrue();
    }

    @Test
    void containsIgnoresCaseAndSeesTheUnfoldedValue() {
        assertThat(matches(map("header", "Subject", "contains", "winner"), SPAM)).isTrue();
        assertThat(matches(map("header", "Subject", "contains", "a  WINNER"), SPAM)).isTrue();
        assertThat(matches(map("header", "Subject", "contains", List.of("prize", "TODAY")), SPAM)).isTrue();
        assertThat(matches(map("header", "Subject", "contains", "loser"), SPAM)).isFalse();
    }

    @Test
    void caseFoldingIsOnlyForAsciiLetters() {
        // 0xC3 and 0xE3 are Latin-1 case pairs but unrelated UTF-8 lead octets.
        HeaderBlock block = headers("Subject: \u00c3\u00bc");
        assertThat(matches(map("header", "Subject", "contains", "\u00e3\u00bc"), block)).isFalse();
    }

    @Test
    void nonAsciiConfigTextMatchesItsUtf8Octets() {
        HeaderBlock block = headers("Subject: Gr\u00c3\u00bc\u00c3\u009fe");
        assertThat(matches(map("header", "Subject", "is", "Gr\u00fc\u00dfe"), block)).isTrue();
        assertThat(matches(map("header", "Subject", "regex", "^Gr\u00fc"), block)).isTrue();
    }

    @Test
    void regexIsFoundAnywhereInTheValue() {
        assertThat(matches(map("header", "Subject", "regex", "(?i)lottery|winner"), SPAM)).isTrue();
        assertThat(matches(map("header", "Subject", "regex", "lottery|winner"), SPAM)).isFalse();
        assertThat(matches(map("header", "Subject", "regex", "^You"), SPAM)).isTrue();
        assertThat(matches(map("header", "X-Absent", "regex", ".*"), SPAM)).isFalse();
    }

    @Test
    void existsTrueAndFalse() {
        assertThat(matches(map("header", "X-Spam-Flag", "exists", "true"), SPAM)).isTrue();
        assertThat(matches(map("header", "List-Id", "exists", "true"), SPAM)).isFalse();
        assertThat(matches(map("header", "List-Id", "exists", "false"), SPAM)).isTrue();
        assertThat(matches(map("header", "X-Spam-Flag", "exists", "false"), SPAM)).isFalse();
    }

    @ParameterizedTest(name = "{1} {0} {2} -> {3}")
    @CsvSource({
            "above,    7.3, 7,   true",
            "above,    7.3, 7.3, false",
            "at-least, 7.3, 7.3, true",
            "at-least, 7.3, 7.4, false",
            "below,    7.3, 7.4, true",
            "below,    7.3, 7.3, false",
            "at-most,  7.3, 7.3, true",
            "at-most,  7.3, 7.2, false",
            "below,    -2,  0,   true",
            "above,    +.5, 0.4, true",
    })
    void numericComparisons(String comparison, String value, String bound, boolean expected) {
        HeaderBlock block = headers("X-Spam-Score: " + value + " (threshold 5)");
        assertThat(matches(map("header", "X-Spam-Score", comparison, bound), block)).isEqualTo(expected);
    }

    @Test
    void numericTakesTheLeadingNumberAndSkipsHeadersWithout() {
        assertThat(matches(map("header", "X-Spam-Score", "above", "5"), SPAM)).isTrue();
        assertThat(matches(map("header", "X-Absent", "below", "5"), SPAM)).isFalse();
        assertThat(matches(map("header", "X-Spam-Score", "below", "5"), headers("X-Spam-Score: high"))).isFalse();
        assertThat(matches(map("header", "X-Spam-Score", "below", "5"), headers("X-Spam-Score: score=1"))).isFalse();
        assertThat(matches(map("header", "X-Spam-Score", "below", "5"),
                headers("X-Spam-Score: n/a", "X-Spam-Score: 1"))).isTrue();
    }

    @Test
    void describesItselfForFindings() {
        assertThat(Conditions.parse(Mail.condition("header", "Subject", "regex", "(?i)lottery")))
                .hasToString("header Subject regex (?i)lottery");
        assertThat(Conditions.parse(Mail.condition("header", "X-Spam-Flag", "is", "YES")))
                .hasToString("header X-Spam-Flag is YES");
        assertThat(Conditions.parse(Mail.condition("header", "Subject", "contains", List.of("a", "b"))))
                .hasToString("header Subject contains any of a, b");
        assertThat(Conditions.parse(Mail.condition("header", "List-Id", "exists", "false")))
                .hasToString("header List-Id is absent");
        assertThat(Conditions.parse(Mail.condition("header", "X-Spam-Score", "at-least", "5.0")))
                .hasToString("header X-Spam-Score at-least 5.0");
    }
}
