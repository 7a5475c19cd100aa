package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterFinding;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterProviders;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** The {@code filters:} list: each item reaches its provider as written, and every mistake is located. */
class FiltersConfigTest {

    @TempDir
    Path dir;

    private static FilterSettings kept(PopbridgeConfig config, int index) {
        return ((KeepSettingsFilterProvider.Kept) config.filterChain().entries().get(index).filter()).settings();
    }

    @Test
    void aFullFiltersSectionReachesEachProviderAsWritten() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filtering:
                  on-failure: closed
                  time-budget: 2s
                filters:
                  - test-keep:
                      threshold: 5
                      rules:
                        - { name: upstream-says-spam, header: X-Spam-Flag, is: "YES", score: 10 }
                        - name: blocked-sender
                          from-domain: [spam.example, "junk.example"]
                          score: 6
                      tag: { subject-prefix: "[SPAM] ", add-headers: { X-Spam-Score: "${score}" } }
                  - test-stamp: { header: X-Stamp }
                  - test-keep:
                  - test-keep: {}
                """);

        FilterChain chain = config.filterChain();
        assertThat(chain.entries()).extracting(FilterChain.Entry::name)
                .containsExactly("test-keep", "test-stamp", "test-keep", "test-keep");
        assertThat(chain.policy()).isEqualTo(FailurePolicy.CLOSED);
        assertThat(chain.timeBudget()).isEqualTo(Duration.ofSeconds(2));
        Map<String, Object> rule0 = new LinkedHashMap<>();
        rule0.put("name", "upstream-says-spam");
        rule0.put("header", "X-Spam-Flag");
        rule0.put("is", "YES");
        rule0.put("score", "10");
        Map<String, Object> rule1 = new LinkedHashMap<>();
        rule1.put("name", "blocked-sender");
        rule1.put("from-domain", List.of("spam.example", "junk.example"));
        rule1.put("score", "6");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("threshold", "5");
        expected.put("rules", List.of(rule0, rule1));
        expected.put("tag", Map.of("subject-prefix", "[SPAM] ", "add-headers", Map.of("X-Spam-Score", "${score}")));
        FilterSettings first = kept(config, 0);
        assertThat(first).isEqualTo(FilterSettings.of(expected, "/filters/0/test-keep"));
        assertThat(first.keys()).containsExactly("threshold", "rules", "tag");
        assertThat(first.sections("rules").get(1).pointer()).isEqualTo("/filters/0/test-keep/rules/1");
        assertThat(first.sections("rules").get(1).strings("from-domain")).containsExactly("spam.example", "junk.example");
        assertThat(first.section("tag").stringMap("add-headers")).isEqualTo(Map.of("X-Spam-Score", "${score}"));
        assertThat(kept(config, 2)).isEqualTo(FilterSettings.empty("/filters/2/test-keep"));
        assertThat(kept(config, 3)).isEqualTo(FilterSettings.empty("/filters/3/test-keep"));
    }

    @Test
    void scalarsReachTheFilterAsWrittenNotAsYamlReadsThem() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filters:
                  - test-keep:
                      is: YES
                      quoted: "YES"
                      answer: no
                      score: 10
                      threshold: 5.5
                      padded: 5.50
                      exists: true
                      shouting: TRUE
                      octal: 010
                      hex: 0x1F
                      stars: "***"
                      list: [YES, 3, 2.50, off]
                """);

        FilterSettings settings = kept(config, 0);
        assertThat(settings.string("is")).isEqualTo("YES");
        assertThat(settings.string("quoted")).isEqualTo("YES");
        assertThat(settings.string("answer")).isEqualTo("no");
        assertThat(settings.string("score")).isEqualTo("10");
        assertThat(settings.string("threshold")).isEqualTo("5.5");
        assertThat(settings.string("padded")).isEqualTo("5.50");
        assertThat(settings.string("exists")).isEqualTo("true");
        assertThat(settings.string("shouting")).isEqualTo("TRUE");
        assertThat(settings.string("octal")).isEqualTo("010");
        assertThat(settings.string("hex")).isEqualTo("0x1F");
        assertThat(settings.string("stars")).isEqualTo("***");
        assertThat(settings.strings("list")).containsExactly("YES", "3", "2.50", "off");
    }

    @Test
    void aYamlNullIsLeftOutAsIfNotWritten() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filters:
                  - test-keep:
                      kept: here
                      empty:
                      tilde: ~
                      word: null
                      nested: { inner: ~, other: x }
                """);

        FilterSettings settings = kept(config, 0);
        assertThat(settings.keys()).containsExactly("kept", "nested");
        assertThat(settings.section("nested").keys()).containsExactly("other");
        assertThat(settings.optionalString("empty")).isEmpty();
    }

    @Test
    void theChainRunsTheFiltersInTheFilesOrder() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filters:
                  - test-stamp: { header: X-First, value: one }
                  - test-regex:
                      rules:
                        - { header: X-First, regex: "^one$" }
                """);

        ChainOutcome outcome = config.filterChain().start(MessageInfo.offline(100), Runnable::run)
                .headers(HeaderBlock.parse("Subject: hi\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)))
                .toCompletableFuture().join();

        assertThat(outcome.disposition()).isEqualTo(ChainOutcome.Disposition.DELIVER);
        assertThat(new String(outcome.headers().toBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("Subject: hi\r\nX-First: one\r\n\r\n");
        assertThat(outcome.findings()).containsExactly(
                new FilterFinding("test-stamp", "added X-First to a message of 100 octets"), new FilterFinding("test-regex", "X-First matches ^one$"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"upstream: pop3s://mail.example.com\n", "filters:\n", "filters: []\n",
            "filtering:\n  on-failure: closed\nfilters: []\n"})
    void withoutFiltersTheChainIsTheEmptyOne(String yaml) throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, yaml);

        assertThat(config.filterChain()).isSameAs(FilterChain.empty());
        assertThat(config.filterChain().filtersMessages()).isFalse();
        assertThat(PopbridgeConfig.defaults().filterChain()).isSameAs(FilterChain.empty());
    }

    @Test
    void aFilterThatHidesLoadsWithTheLoginScanOn() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filtering:
                  scan-at-login: true
                filters:
                  - test-flag-hide: { flag: X-Junk }
                """);

        assertThat(config.filterChain().mayHide()).isTrue();
        assertThat(config.filtering().scanAtLogin()).isTrue();
    }

    /** Each case: the file, then the message after "FILE:" — the line, the key and the problem. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("an unknown filter", """
                        filters:
                          - test-stamp: { header: X-A }
                          - test-keep: {}
                          - test-stmp: { header: X-A }
                        """, "4: key 'filters[2]': unknown filter \"test-stmp\"; known: "
                                + String.join(", ", FilterProviders.load().names())),
                Arguments.of("a bad regular expression deep in the settings", """
                        filters:
                          - test-keep: {}
                          - test-regex:
                              rules:
                                - header: Subject
                                  regex: "(?i)lottery"
                                - { header: From, regex: "[spam" }
                        """, "7: key 'filters[1].test-regex.rules[1].regex': is not a regular expression: "
                                + "Unclosed character class"),
                Arguments.of("a required setting left out, named whole at the line of its rule", """
                        filters:
                          - test-regex:
                              rules:
                                - regex: lottery
                        """, "4: key 'filters[0].test-regex.rules[0].header': is required"),
                Arguments.of("a misspelt setting", """
                        filters:
                          - test-stamp:
                              header: X-A
                              valu: b
                        """, "4: key 'filters[0].test-stamp.valu': unknown setting; expected one of header, value"),
                Arguments.of("a filter with no settings that needs one", """
                        filters:
                          - test-stamp:
                        """, "2: key 'filters[0].test-stamp.header': is required"),
                Arguments.of("a list where one value is expected", """
                        filters:
                          - test-stamp: { header: [X-A, X-B] }
                        """, "2: key 'filters[0].test-stamp.header': must be a single value, not a list"),
                Arguments.of("a setting given twice", """
                        filters:
                          - test-stamp:
                              header: X-A
                              header: X-B
                        """, "4: key 'filters[0].test-stamp.header': given twice (first on line 3)"),
                Arguments.of("a filter name without a colon", """
                        filters:
                          - test-keep: {}
                          - test-keep
                        """, "3: key 'filters[1]': write a filter as its name and its settings, as \"- test-keep: {}\""),
                Arguments.of("an item that is a list", """
                        filters:
                          - [test-keep]
                        """, "2: key 'filters[0]': must be a filter name and its settings, such as \"- log: {}\""),
                Arguments.of("an item that names no filter", """
                        filters:
                          - {}
                        """, "2: key 'filters[0]': names no filter; write its name and its settings, such as \"- log: {}\""),
                Arguments.of("an empty item", """
                        filters:
                          - test-keep: {}
                          -
                        """, "3: key 'filters[1]': an empty item; write a filter name and its settings, "
                                + "such as \"- log: {}\""),
                Arguments.of("settings not indented under the filter's name", """
                        filters:
                          - test-stamp:
                            header: X-A
                        """, "3: key 'filters[0].header': a second key in one item: each item is one filter, "
                                + "and its settings go indented under its name"),
                Arguments.of("settings that are a single value", """
                        filters:
                          - test-stamp: X-A
                        """, "2: key 'filters[0].test-stamp': must be the filter's settings as 'key: value' lines, "
                                + "or {} for none"),
                Arguments.of("filters that are not a list", """
                        filters: test-keep
                        """, "1: key 'filters': expected a list, one '- ' item per line"),
                Arguments.of("a provider that fails with something else than a setting problem", """
                        filters:
                          - test-keep: {}
                          - test-fail: { when: configure }
                        """, "3: key 'filters[1].test-fail': the test-fail filter cannot use these settings: "
                                + "IllegalStateException: broken provider"),
                Arguments.of("a filter that hides, with the login scan off", """
                        upstream: pop3s://mail.example.com
                        filtering:
                          scan-at-login: false
                        filters:
                          - test-stamp: { header: X-A }
                          - test-flag-hide: {}
                        """, "3: key 'filtering.scan-at-login': cannot be false while filters[1] (test-flag-hide) "
                                + "may hide messages: hiding renumbers the maildrop, so every message's headers "
                                + "must be read at login"),
                Arguments.of("a direction that is not one", """
                        filters:
                          - headers:
                              remove: [X-A]
                              direction: sideways
                        """, "4: key 'filters[0].headers.direction': must be incoming, outgoing or both, not \"sideways\""),
                Arguments.of("a direction the filter cannot act in", """
                        filters:
                          - hide:
                              direction: outgoing
                              when: { header: X-A, exists: true }
                        """, "3: key 'filters[0].hide.direction': the hide filter acts only on incoming mail"));
    }

    @Test
    void eachFilterActsInTheDirectionItsItemSaysOrItsDefault() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                filters:
                  - headers: { remove: [X-Spam-Status] }
                  - headers: { direction: outgoing, remove: [X-Originating-IP] }
                  - headers: { direction: both, add: { X-Via: popbridge } }
                  - log: {}
                """);

        assertThat(config.filterChain().entries()).extracting(FilterChain.Entry::directions).containsExactly(
                Set.of(Direction.INCOMING), Set.of(Direction.OUTGOING), Direction.both(), Direction.both());
        assertThat(config.filterChain().forDirection(Direction.OUTGOING).entries()).hasSize(3);
        assertThat(config.filterChain().forDirection(Direction.INCOMING).entries()).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineAndSetting(String mistake, String yaml, String expected) throws IOException {
        Path file = ConfigFiles.write(dir, yaml);

        assertThatThrownBy(() -> new ConfigLoader().load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + expected);
    }

    @Test
    void aConfigReadFromBytesIsNamedInItsErrors() {
        byte[] yaml = "filters:\n  - test-stamp: {}\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new ConfigLoader().load(Path.of("demo/filters.yaml"), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(Path.of("demo/filters.yaml") + ":2: key 'filters[0].test-stamp.header': is required");
    }

    @Test
    void otherFilteringSettingsRunTheSameFilters() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "filters:\n  - test-stamp: { header: X-A }\n  - test-flag-hide: {}\n");
        FilteringConfig closed = new FilteringConfig(FailurePolicy.CLOSED, Duration.ofMillis(300), 4096, true,
                1L << 20, Duration.ofMinutes(1));

        PopbridgeConfig changed = config.withFiltering(closed);

        assertThat(changed.filtering()).isEqualTo(closed);
        assertThat(changed.filterChain().entries()).isEqualTo(config.filterChain().entries());
        assertThat(changed.filterChain().policy()).isEqualTo(FailurePolicy.CLOSED);
        assertThat(changed.filterChain().timeBudget()).isEqualTo(Duration.ofMillis(300));
        assertThatThrownBy(() -> config.withFiltering(new FilteringConfig(FailurePolicy.OPEN, Duration.ofSeconds(5),
                4096, false, 1L << 20, Duration.ofMinutes(1))))
                .isInstanceOf(FilterConfigException.class)
                .hasMessageContaining("filters[1] (test-flag-hide) may hide messages");
    }

    @Test
    void filtersGivenInCodeRunUnderTheConfigsPolicyAndBudget() throws Exception {
        PopbridgeConfig stamped = ConfigFiles.load(dir, "filters:\n  - test-stamp: { header: X-A }\n");
        PopbridgeConfig config = PopbridgeConfig.defaults()
                .withFiltering(new FilteringConfig(FailurePolicy.CLOSED, Duration.ofSeconds(1), 4096, true,
                        1L << 20, Duration.ofMinutes(1)))
                .withFilters(stamped.filterChain().entries());

        assertThat(config.filterChain().entries()).isEqualTo(stamped.filterChain().entries());
        assertThat(config.filterChain().policy()).isEqualTo(FailurePolicy.CLOSED);
        assertThat(config.filterChain().timeBudget()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.withFilters(List.of()).filterChain()).isSameAs(FilterChain.empty());
    }

    @Test
    void aChainThatDoesNotRunAsFilteringSaysIsRefused() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "filters:\n  - test-stamp: { header: X-A }\n");
        FilterChain otherPolicy = new FilterChain(config.filterChain().entries(), FailurePolicy.CLOSED,
                FilterChain.DEFAULT_TIME_BUDGET);

        assertThatThrownBy(() -> new PopbridgeConfig(config.listen(), config.upstream(), config.tls(), config.stateDir(),
                config.limits(), config.shutdownGrace(), config.filtering(), otherPolicy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the filter chain must run with filtering's on-failure and time-budget");
    }
}
