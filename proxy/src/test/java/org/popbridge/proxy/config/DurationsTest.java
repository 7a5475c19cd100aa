package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void everyUnitReads() {
        assertThat(Durations.parse("50us")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Durations.parse("50µs")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse(" 30 s ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void formatsAsAnOperatorWouldWrite() {
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofNanos(50_000))).isEqualTo("50us");
        assertThat(Durations.format(Duration.ofNanos(1_050_000))).isEqualTo("1050us");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void whatIsNoDurationIsRefusedWithTheExamples() {
        assertThatThrownBy(() -> Durations.parse("soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration: 'soon' (use e.g. 50us, 500ms, 30s, 10m, 1h)");
        assertThatThrownBy(() -> Durations.parse("5 fortnights")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAmountTooLargeForADurationIsRefusedNotThrownAsAnArithmeticError() {
        assertThatThrownBy(() -> Durations.parse("9223372036854775807h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too long a duration: '9223372036854775807h'");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999999us"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("too long a duration: '99999999999999999999999us'");
    }
}
