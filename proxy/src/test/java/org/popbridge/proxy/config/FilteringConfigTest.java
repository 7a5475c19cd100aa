package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;

/** The {@code filtering:} block: how the chain runs. */
class FilteringConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutAFilteringBlockTheDocumentedDefaultsApply() throws Exception {
        FilteringConfig filtering = new ConfigLoader().load(ConfigFiles.write(dir, "upstream: pop3s://mail.example.com\n")).filtering();

        assertThat(filtering).isEqualTo(FilteringConfig.defaults());
        assertThat(filtering.onFailure()).isEqualTo(FailurePolicy.OPEN);
        assertThat(filtering.timeBudget()).isEqualTo(Duration.ofSeconds(5)).isEqualTo(FilterChain.DEFAULT_TIME_BUDGET);
        assertThat(filtering.headerLimit()).isEqualTo(256 * 1024);
        assertThat(filtering.scanAtLogin()).isTrue();
        assertThat(filtering.cacheSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(filtering.cacheExpiry()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void everyFilteringSettingBinds() throws Exception {
        FilteringConfig filtering = new ConfigLoader().load(ConfigFiles.write(dir, """
                upstream: pop3s://mail.example.com
                filtering:
                  on-failure: Closed
                  time-budget: 750ms
                  header-limit: 64KB
                  scan-at-login: false
                  cache:
                    size: 1GB
                    expire-after: 2h
                """)).filtering();

        assertThat(filtering).isEqualTo(new FilteringConfig(FailurePolicy.CLOSED, Duration.ofMillis(750), 65536,
                false, 1L << 30, Duration.ofHours(2)));
    }

    @Test
    void aPartialCacheBlockKeepsTheOtherDefault() throws Exception {
        FilteringConfig filtering = new ConfigLoader().load(ConfigFiles.write(dir, """
                upstream: pop3s://mail.example.com
                filtering:
                  header-limit: 1024
                  cache:
                    expire-after: 30m
                """)).filtering();

        assertThat(filtering.headerLimit()).isEqualTo(1024);
        assertThat(filtering.cacheSize()).isEqualTo(64L << 20);
        assertThat(filtering.cacheExpiry()).isEqualTo(Duration.ofMinutes(30));
    }

    /** Each case: the file, then the message after "FILE:" (the loader needs no upstream; the command line does). */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("""
                        filtering:
                          on-failure: ignore
                        """, "2: key 'filtering.on-failure': must be open or closed, got 'ignore'"),
                Arguments.of("""
                        filtering:
                          on-failure: open
                          time-budget: 0s
                        """, "3: key 'filtering.time-budget': must be more than zero"),
                Arguments.of("""
                        filtering:
                          time-budget: five seconds
                        """, "2: key 'filtering.time-budget': not a duration: 'five seconds' (use e.g. 50us, 500ms, 30s, 10m, 1h)"),
                Arguments.of("""
                        filtering:
                          header-limit: 512
                        """, "2: key 'filtering.header-limit': must be between 1KB and 16MB, got 512"),
                Arguments.of("""
                        filtering:
                          header-limit: 17MB
                        """, "2: key 'filtering.header-limit': must be between 1KB and 16MB, got 17MB"),
                Arguments.of("""
                        filtering:
                          header-limit: 256 kilobytes
                        """, "2: key 'filtering.header-limit': not a size: '256 kilobytes' "
                                + "(use e.g. 256KB, 64MB, 1GB, or a number of octets)"),
                Arguments.of("""
                        filtering:
                          scan-at-login: sometimes
                        """, "2: key 'filtering.scan-at-login': expected true or false, got 'sometimes'"),
                Arguments.of("""
                        filtering:
                          cache:
                            size: 64MB
                            expire-after: 0s
                        """, "4: key 'filtering.cache.expire-after': must be more than zero"),
                Arguments.of("""
                        filtering:
                          cache:
                            size: 512KB
                        """, "3: key 'filtering.cache.size': must be at least 1MB, got 512KB"),
                Arguments.of("""
                        filtering:
                          cache:
                            max-size: 64MB
                        """, "3: key 'filtering.cache.max-size': unknown key (known here: expire-after, size)"),
                Arguments.of("""
                        filtering:
                          timeout: 5s
                        """, "2: key 'filtering.timeout': unknown key "
                                + "(known here: cache, header-limit, on-failure, scan-at-login, time-budget)"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineAndKey(String yaml, String expected) throws IOException {
        Path file = ConfigFiles.write(dir, yaml);

        assertThatThrownBy(() -> new ConfigLoader().load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + expected);
    }
}
