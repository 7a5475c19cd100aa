package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.headers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.popbridge.filters.HeaderBlock;

/** A runaway regex is stopped at the deadline instead of stalling the event loop. */
class DeadlineTest {

    // (.*a){41} against 40 a's cannot match and tries every way to split them: hours, unguarded.
    private static final HeaderBlock EVIL = headers("Subject: " + "a".repeat(40) + "x");
    private static final String RUNAWAY = "(.*a){41}";

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCatastrophicRegexIsStoppedAtTheDeadline() {
        HeaderRegex regex = HeaderRegex.compile("Subject", RUNAWAY);
        assertThatThrownBy(() -> regex.test(EVIL, Mail.unsized(), Deadline.after(Duration.ofMillis(50))))
                .isInstanceOf(RuleOverrunException.class)
                .hasMessage("header Subject regex (.*a){41} ran past the rules' time budget of 50 ms");
    }

    @Test
    void anOrdinaryRegexFinishesWellWithinTheDeadline() {
        HeaderRegex regex = HeaderRegex.compile("Subject", "a+x$");
        assertThat(regex.test(EVIL, Mail.unsized(), Deadline.after(Duration.ofMillis(50)))).isTrue();
    }

    @Test
    void aGuardedSequenceReadsTheSameText() {
        CharSequence guarded = Deadline.after(Duration.ofSeconds(1)).guard("hello world");
        assertThat(guarded.length()).isEqualTo(11);
        assertThat(guarded.subSequence(6, 11).toString()).isEqualTo("world");
        assertThat(guarded).hasToString("hello world");
    }

    @Test
    void aGuardedSequenceThrowsOnceTheDeadlineHasPassed() {
        Deadline passed = Deadline.after(Duration.ZERO);
        CharSequence guarded = passed.guard("a".repeat(5000));
        assertThat(passed.passed()).isTrue();
        assertThatThrownBy(() -> {
            for (int i = 0; i < guarded.length(); i++) {
                guarded.charAt(i);
            }
        }).isInstanceOf(RuleOverrunException.class);
    }
}
