package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.Verdict;

/** The hide filter hides what matches and leaves the headers alone. */
class HideFilterTest {

    private static final String ROOT = "/filters/0/hide";

    private static ConfiguredFilter filter(Map<String, Object> settings) {
        return Filters.configure(new HideProvider(), settings);
    }

    @Test
    void hidesWhenTheConditionHoldsWithTheReason() {
        ConfiguredFilter hide = filter(map("when", map("header", "X-Spam-Flag", "is", "YES")));
        HeaderBlock spam = headers("X-Spam-Flag: YES", "Subject: s");
        byte[] before = spam.toBytes();

        assertThat(Filters.run(hide, spam, 10)).isEqualTo(Verdict.hide("matched header X-Spam-Flag is YES"));
        assertThat(spam.toBytes()).isEqualTo(before);
        assertThat(Filters.run(hide, headers("X-Spam-Flag: NO"), 10)).isEqualTo(Verdict.deliver());
    }

    @Test
    void mayHideSoTheProxyReadsHeadersAtLogin() {
        assertThat(((MessageFilterFactory) filter(map("when", map("size-above", "1GB")))).mayHide()).isTrue();
    }

    @Test
    void rulesHideWhenAnyHoldsAndNameTheOneThatDid() {
        ConfiguredFilter hide = filter(map("rules", List.of(
                map("header", "X-Spam-Flag", "is", "YES"),
                map("from-domain", "spam.example"))));
        assertThat(Filters.run(hide, headers("From: x@a.spam.example"), 10))
                .isEqualTo(Verdict.hide("matched from-domain spam.example"));
        assertThat(Filters.run(hide, headers("From: x@example.org"), 10).action()).isEqualTo(Verdict.Action.DELIVER);
    }

    private static void rejects(Map<String, Object> settings, String pointer, String problem) {
        assertThatThrownBy(() -> filter(settings))
                .isInstanceOf(FilterConfigException.class)
                .hasFieldOrPropertyWithValue("pointer", pointer)
                .hasFieldOrPropertyWithValue("problem", problem);
    }

    @Test
    void aConfigWithoutExactlyOneOfWhenAndRulesIsRejected() {
        rejects(map(), ROOT, "needs when (one condition) or rules (a list of conditions, any of which hides)");
        rejects(map("when", map("size-above", "1MB"), "rules", List.of(map("size-above", "2MB"))), ROOT + "/rules",
                "give when or rules, not both");
        rejects(map("rules", List.of()), ROOT + "/rules", "is empty; give at least one condition");
        rejects(map("rules", List.of(map("size-above", "1MB"), map("header", "S", "regex", "("))), ROOT + "/rules/1/regex",
                "is not a regular expression: Unclosed group near index 1");
    }
}
