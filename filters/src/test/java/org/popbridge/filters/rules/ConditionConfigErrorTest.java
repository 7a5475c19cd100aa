package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;

/** A condition that is wrong stops the start, pointing at the key that is wrong. */
class ConditionConfigErrorTest {

    private static final String ROOT = "/filters/0/hide/when";

    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(Map<String, Object> condition) {
        return assertThatThrownBy(() -> Conditions.parse(FilterSettings.of(condition, ROOT)))
                .isInstanceOf(FilterConfigException.class);
    }

    private static void rejects(Map<String, Object> condition, String pointer, String problem) {
        parsing(condition)
                .hasFieldOrPropertyWithValue("pointer", pointer)
                .hasFieldOrPropertyWithValue("problem", problem);
    }

    @Test
    void aBadRegexGivesTheSyntaxError() {
        rejects(map("header", "Subject", "regex", "(lottery"), ROOT + "/regex",
                "is not a regular expression: Unclosed group near index 8");
    }

    @Test
    void anUnknownTestIsNamed() {
        parsing(map("subject", "lottery"))
                .hasFieldOrPropertyWithValue("pointer", ROOT + "/subject")
                .hasMessageContaining("unknown test; expected one of header, from-address");
        parsing(map("header", "Subject", "matches", "x"))
                .hasFieldOrPropertyWithValue("pointer", ROOT + "/matches")
                .hasMessageContaining("unknown header test; expected one of is, contains, regex");
    }

    @Test
    void aConditionHasOneTest() {
        rejects(map("header", "Subject", "is", "a", "regex", "b"), ROOT + "/regex",
                "a condition has one test and this one already has is; combine tests with all: or any:");
        rejects(map("from-domain", "a.example", "size-above", "1MB"), ROOT + "/size-above",
                "a condition has one test and this one already has from-domain; combine tests with all: or any:");
        rejects(map("header", "Subject", "is", "a", "size-above", "1MB"), ROOT + "/size-above",
                "a condition has one test and this one already has header; combine tests with all: or any:");
    }

    @Test
    void aHeaderTestNeedsItsHeaderAndAHeaderNeedsATest() {
        rejects(map("is", "YES"), ROOT + "/is", "tests a header; name the header with header:");
        parsing(map("header", "Subject")).hasFieldOrPropertyWithValue("pointer", ROOT + "/header")
                .hasMessageContaining("needs a test");
        rejects(map("header", "Bad Name", "exists", "true"), ROOT + "/header",
                "not an RFC 5322 field name: \"Bad Name\"");
    }

    @Test
    void anEmptyConditionSaysSo() {
        parsing(map()).hasFieldOrPropertyWithValue("pointer", ROOT).hasMessageContaining("has no condition");
        parsing(map("name", "x", "score", "1"))
                .hasFieldOrPropertyWithValue("pointer", ROOT + "/name");
        assertThatThrownBy(() -> Conditions.parse(FilterSettings.of(map("name", "x", "score", "1"), ROOT),
                Set.of("name", "score"))).hasMessage(ROOT + ": has no condition; expected one of header, from-address, "
                + "from-domain, reply-to-address, reply-to-domain, return-path-address, return-path-domain, "
                + "sender-address, sender-domain, size-above, size-below, any, all, not");
    }

    @Test
    void numbersAndSizesMustBeNumbers() {
        rejects(map("header", "X-Spam-Score", "above", "five"), ROOT + "/above", "must be a number, not \"five\"");
        rejects(map("size-above", "1TB"), ROOT + "/size-above",
                "must be a size such as 500000, 10KB, 1MB or 2GB, not \"1TB\"");
        rejects(map("header", "X-Foo", "exists", "maybe"), ROOT + "/exists", "must be true or false, not \"maybe\"");
    }

    @Test
    void emptyListsAreRejected() {
        rejects(map("any", List.of()), ROOT + "/any", "is empty; give at least one condition");
        rejects(map("all", List.of()), ROOT + "/all", "is empty; give at least one condition");
        rejects(map("from-domain", List.of()), ROOT + "/from-domain", "is empty; give at least one domain");
        rejects(map("header", "Subject", "is", List.of()), ROOT + "/is", "is empty; give a text or a list of texts");
        rejects(map("header", "Subject", "contains", ""), ROOT + "/contains",
                "holds an empty text, which every header contains; use exists: true");
    }

    @Test
    void addressesAndDomainsMustLookLikeThem() {
        rejects(map("from-address", List.of("a@b.example", "nobody")), ROOT + "/from-address",
                "entry 1, \"nobody\", is not an address such as name@example.org");
        rejects(map("from-address", "Alice <a@b.example>"), ROOT + "/from-address",
                "entry 0, \"Alice <a@b.example>\", is not an address such as name@example.org");
        rejects(map("sender-domain", "@spam.example"), ROOT + "/sender-domain",
                "entry 0, \"@spam.example\", is not a domain such as example.org");
    }

    @Test
    void errorsInsideCombinatorsPointIntoThem() {
        rejects(map("all", List.of(map("size-above", "1MB"), map("not", map("header", "Subject", "regex", "[")))),
                ROOT + "/all/1/not/regex", "is not a regular expression: Unclosed character class near index 0");
        rejects(map("any", List.of("text")), ROOT + "/any/0", "must be a map of settings, not \"text\"");
    }
}
