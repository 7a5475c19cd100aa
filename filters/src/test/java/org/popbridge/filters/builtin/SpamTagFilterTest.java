package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;
import static org.popbridge.filters.rules.Mail.text;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;

/** The spam-tag filter scores, tags at the threshold, and says what it found. */
class SpamTagFilterTest {

    private static final long ONE_MB = 1 << 20;

    /** The filter of the reference documentation. */
    private static Map<String, Object> documented() {
        return map(
                "threshold", "5",
                "rules", List.of(
                        map("name", "upstream-says-spam", "header", "X-Spam-Flag", "is", "YES", "score", "10"),
                        map("name", "blocked-sender", "from-domain", List.of("spam.example"), "score", "6"),
                        map("name", "lottery", "header", "Subject", "regex", "(?i)lottery|winner", "score", "3"),
                        map("name", "big-and-shouty", "all", List.of(
                                map("size-above", "1MB"),
                                map("header", "Subject", "regex", "^[A-Z !]+$")), "score", "2"),
                        map("name", "known-friend", "from-address", "friend@spam.example", "score", "-6.50")),
                "tag", map(
                        "subject-prefix", "[SPAM] ",
                        "add-headers", map("X-Spam-Flag", "YES", "X-Spam-Score", "${score}", "X-Spam-Rules", "${rules}")));
    }

    private static ConfiguredFilter filter() {
        return Filters.configure(new SpamTagProvider(), documented());
    }

    @Test
    void scoresAtTheThresholdAreTaggedWithPrefixAndHeaders() {
        HeaderBlock block = headers("From: Win <x@mail.spam.example>", "Subject: Hello", "X-Spam-Flag: NO", "To: me");
        Verdict verdict = Filters.run(filter(), block, 100);

        assertThat(verdict.action()).isEqualTo(Verdict.Action.DELIVER);
        assertThat(verdict.findings()).containsExactly("score 6 (threshold 5): blocked-sender +6; tagged");
        // set, not add: the upstream's X-Spam-Flag: NO is replaced in place, not duplicated.
        assertThat(text(block)).isEqualTo("From: Win <x@mail.spam.example>\r\n"
                + "Subject: [SPAM] Hello\r\n"
                + "X-Spam-Flag: YES\r\n"
                + "To: me\r\n"
                + "X-Spam-Score: 6\r\n"
                + "X-Spam-Rules: blocked-sender\r\n"
                + "\r\n");
    }

    @Test
    void scoresSumOverEveryRuleThatHits() {
        HeaderBlock block = headers("From: x@spam.example", "X-Spam-Flag: YES", "Subject: WINNER");
        Verdict verdict = Filters.run(filter(), block, 2 * ONE_MB);

        assertThat(verdict.findings()).containsExactly("score 21 (threshold 5): upstream-says-spam +10, "
                + "blocked-sender +6, lottery +3, big-and-shouty +2; tagged");
        assertThat(block.first("X-Spam-Score")).contains("21");
        assertThat(block.first("X-Spam-Rules")).contains("upstream-says-spam,blocked-sender,lottery,big-and-shouty");
    }

    @Test
    void belowTheThresholdNothingChangesButTheFindingSaysWhy() {
        HeaderBlock block = headers("From: a@b.example", "Subject: Lottery results", "X-Spam-Flag: NO");
        byte[] before = block.toBytes();
        Verdict verdict = Filters.run(filter(), block, 100);

        assertThat(verdict.findings()).containsExactly("score 3 (threshold 5): lottery +3; not tagged");
        assertThat(block.toBytes()).isEqualTo(before);
    }

    @Test
    void noRuleHitScoresZero() {
        Verdict verdict = Filters.run(filter(), headers("Subject: hi"), 100);
        assertThat(verdict.findings()).containsExactly("score 0 (threshold 5): no rule hit; not tagged");
    }

    @Test
    void negativeScoresCountAndFormatWithoutTrailingZeros() {
        HeaderBlock block = headers("From: friend@spam.example", "Subject: lottery");
        Verdict verdict = Filters.run(filter(), block, 100);

        assertThat(verdict.findings()).containsExactly(
                "score 2.5 (threshold 5): blocked-sender +6, lottery +3, known-friend -6.5; not tagged");
        assertThat(block.first("Subject")).contains("lottery");
    }

    @Test
    void thePrefixIsNotDoubled() {
        HeaderBlock block = headers("Subject: [spam] Hello", "X-Spam-Flag: YES");
        Filters.run(filter(), block, 100);
        assertThat(block.all("Subject")).containsExactly("[spam] Hello");

        HeaderBlock bare = headers("Subject: [SPAM]", "X-Spam-Flag: YES");
        Filters.run(filter(), bare, 100);
        assertThat(bare.all("Subject")).containsExactly("[SPAM]");
    }

    @Test
    void aMessageWithoutSubjectGetsOne() {
        HeaderBlock block = headers("X-Spam-Flag: YES");
        Filters.run(filter(), block, 100);
        assertThat(block.all("Subject")).containsExactly("[SPAM]");
    }

    @Test
    void topAndRetrTagIdentically() {
        String top = "Return-Path: <>\r\nFrom: \"Win, Big\" <x@spam.example>\r\nSubject: =?UTF-8?Q?winner?=\r\n"
                + " folded\r\nX-Spam-Flag: NO\r\n\r\n";
        byte[] first = headersAfter(top, 5000);
        byte[] second = headersAfter(top, 5000);
        assertThat(second).isEqualTo(first);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).contains("X-Spam-Rules: blocked-sender,lottery");
    }

    private static byte[] headersAfter(String block, long size) {
        HeaderBlock headers = HeaderBlock.parse(block.getBytes(StandardCharsets.ISO_8859_1));
        Filters.run(filter(), headers, size);
        return headers.toBytes();
    }

    @Test
    void aRunawayRegexFailsTheFilterAndTheMessageGoesThroughUntouched() {
        SpamTagFilter runaway = new SpamTagFilter(BigDecimal.ONE,
                List.of(ScoreRule.parse(FilterSettings.of(
                        map("name", "runaway", "header", "Subject", "regex", "(.*a){41}", "score", "5"), "/r"))),
                SpamTag.parse(FilterSettings.of(map("subject-prefix", "[SPAM] "), "/t")),
                Duration.ofMillis(100));
        FilterChain chain = new FilterChain(List.of(new FilterChain.Entry("spam-tag", runaway)),
                FailurePolicy.OPEN, Duration.ofSeconds(30));
        HeaderBlock block = headers("Subject: " + "a".repeat(40) + "x");

        ChainOutcome outcome = chain.start(MessageInfo.offline(100), Runnable::run).headers(block)
                .toCompletableFuture().join();

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(outcome.headers().toBytes()).isEqualTo(block.toBytes());
        assertThat(outcome.failures()).singleElement().satisfies(failure -> assertThat(failure.describe())
                .isEqualTo("spam-tag failed: RuleOverrunException: header Subject regex (.*a){41} "
                        + "ran past the rules' time budget of 100 ms"));
    }
}
