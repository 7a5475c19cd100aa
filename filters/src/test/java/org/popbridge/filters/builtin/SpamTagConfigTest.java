package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.FilterConfigException;

/** A spam-tag config that is wrong stops the start, pointing at the setting. */
class SpamTagConfigTest {

    private static final String ROOT = "/filters/0/spam-tag";

    private static Map<String, Object> config(List<Object> rules, Map<String, Object> tag) {
        return map("threshold", "5", "rules", rules, "tag", tag);
    }

    private static Map<String, Object> lottery() {
        return map("name", "lottery", "header", "Subject", "regex", "(?i)lottery", "score", "3");
    }

    private static Map<String, Object> flag() {
        return map("add-headers", map("X-Spam-Flag", "YES"));
    }

    private static void rejects(Map<String, Object> settings, String pointer, String problem) {
        assertThatThrownBy(() -> Filters.configure(new SpamTagProvider(), settings))
                .isInstanceOf(FilterConfigException.class)
                .hasFieldOrPropertyWithValue("pointer", pointer)
                .hasFieldOrPropertyWithValue("problem", problem);
    }

    @Test
    void theProviderIsNamedSpamTag() {
        assertThat(new SpamTagProvider().name()).isEqualTo("spam-tag");
        assertThat(Filters.configure(new SpamTagProvider(), config(List.of(lottery()), flag())))
                .isInstanceOf(SpamTagFilter.class);
    }

    @Test
    void aBadRegexInTheThirdRulePointsAtIt() {
        rejects(config(List.of(lottery(),
                        map("name", "b", "header", "X-B", "exists", "true", "score", "1"),
                        map("name", "c", "header", "Subject", "regex", "*win", "score", "1")), flag()),
                ROOT + "/rules/2/regex", "is not a regular expression: Dangling meta character '*' near index 0");
    }

    @Test
    void unknownPlaceholdersAreRejected() {
        rejects(config(List.of(lottery()), map("add-headers", map("X-Spam-Level", "${level}"))),
                ROOT + "/tag/add-headers/X-Spam-Level", "unknown placeholder ${level}; expected ${score} or ${rules}");
        rejects(config(List.of(lottery()), map("add-headers", map("X-Spam-Score", "${score"))),
                ROOT + "/tag/add-headers/X-Spam-Score", "has a placeholder without its closing }");
    }

    @Test
    void ruleNamesAreRequiredUniqueAndPlain() {
        rejects(config(List.of(lottery(), lottery()), flag()), ROOT + "/rules/1/name",
                "\"lottery\" is already the name of rule 0");
        rejects(config(List.of(map("header", "X", "exists", "true", "score", "1")), flag()), ROOT + "/rules/0/name",
                "is required");
        rejects(config(List.of(map("name", "a,b", "header", "X", "exists", "true", "score", "1")), flag()),
                ROOT + "/rules/0/name", "must be letters, digits, '.', '_' and '-' only, not \"a,b\"");
    }

    @Test
    void scoresAndThresholdMustBeNumbers() {
        rejects(config(List.of(map("name", "x", "header", "X", "exists", "true")), flag()), ROOT + "/rules/0/score",
                "is required");
        rejects(config(List.of(map("name", "x", "header", "X", "exists", "true", "score", "lots")), flag()),
                ROOT + "/rules/0/score", "must be a number, not \"lots\"");
        rejects(map("threshold", "high", "rules", List.of(lottery()), "tag", flag()), ROOT + "/threshold",
                "must be a number, not \"high\"");
    }

    @Test
    void aRuleNeedsExactlyOneCondition() {
        rejects(config(List.of(map("name", "x", "score", "1")), flag()), ROOT + "/rules/0",
                "has no condition; expected one of header, from-address, from-domain, reply-to-address, "
                        + "reply-to-domain, return-path-address, return-path-domain, sender-address, sender-domain, "
                        + "size-above, size-below, any, all, not");
        rejects(config(List.of(map("name", "x", "score", "1", "size-above", "1MB", "from-domain", "a.example")), flag()),
                ROOT + "/rules/0/from-domain",
                "a condition has one test and this one already has size-above; combine tests with all: or any:");
    }

    @Test
    void theTagMustDoSomethingValid() {
        rejects(config(List.of(lottery()), map()), ROOT + "/tag",
                "needs subject-prefix or add-headers, or it would tag nothing");
        rejects(config(List.of(lottery()), map("add-headers", map("X Bad", "1"))), ROOT + "/tag/add-headers/X Bad",
                "not an RFC 5322 field name: \"X Bad\"");
        rejects(config(List.of(lottery()), map("subject-prefix", "[SPAM]\r\nBcc: x@y")), ROOT + "/tag/subject-prefix",
                "header value holds CR or LF at index 6");
        rejects(config(List.of(lottery()), map("subject-prefix", "[${score}] ")), ROOT + "/tag/subject-prefix",
                "cannot hold placeholders; use them in add-headers");
        rejects(config(List.of(lottery()), map("prefix", "[SPAM]")), ROOT + "/tag/prefix",
                "unknown setting; expected one of subject-prefix, add-headers");
    }

    @Test
    void rulesAreRequired() {
        rejects(map("threshold", "5", "tag", flag()), ROOT + "/rules", "is required");
        rejects(config(List.of(), flag()), ROOT + "/rules", "is empty; give at least one rule");
    }
}
