package org.popbridge.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading one filter's settings, and errors that point at the exact setting. */
class FilterSettingsTest {

    private static final String AT = "/filters/1/spam-tag";

    @Test
    void scalarsAreKeptAsWritten() {
        FilterSettings settings = settings(Map.of("flag", "YES", "name", " spaced "));

        assertThat(settings.string("flag")).isEqualTo("YES");
        assertThat(settings.string("name")).isEqualTo(" spaced ");
        assertThat(settings.optionalString("name")).contains(" spaced ");
    }

    @Test
    void absentScalarsFallBackOrAreRequired() {
        FilterSettings settings = settings(Map.of());

        assertThat(settings.string("header", "X-Spam")).isEqualTo("X-Spam");
        assertThat(settings.optionalString("header")).isEmpty();
        assertProblem(() -> settings.string("header"), AT + "/header", "is required");
    }

    @Test
    void aKeyWrittenWithNoValueCountsAsAbsent() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("header", null);
        FilterSettings settings = settings(values);

        assertThat(settings.has("header")).isTrue();
        assertThat(settings.string("header", "X-Spam")).isEqualTo("X-Spam");
        assertThat(settings.strings("header")).isEmpty();
    }

    @Test
    void aScalarCannotBeAListOrAMap() {
        FilterSettings settings = settings(Map.of("list", List.of("a"), "map", Map.of("k", "v")));

        assertProblem(() -> settings.string("list"), AT + "/list", "must be a single value, not a list");
        assertProblem(() -> settings.string("map", "x"), AT + "/map", "must be a single value, not a map");
    }

    @Test
    void keysComeInTheOrderOfTheFile() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("zeta", "1");
        values.put("alpha", "2");
        values.put("mid", "3");

        assertThat(settings(values).keys()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void changingTheMapGivenDoesNotChangeTheSettings() {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("a", "1"));
        FilterSettings settings = settings(values);
        values.put("b", "2");

        assertThat(settings.has("b")).isFalse();
        assertThat(settings.keys()).containsExactly("a");
    }

    @ParameterizedTest
    @CsvSource({
            "plain, /filters/1/spam-tag/plain",
            "a/b, /filters/1/spam-tag/a~1b",
            "a~b, /filters/1/spam-tag/a~0b",
            "~1, /filters/1/spam-tag/~01",
            "/~, /filters/1/spam-tag/~1~0"})
    void pointersEscapeTildeAndSlash(String key, String pointer) {
        assertThat(settings(Map.of()).pointer(key)).isEqualTo(pointer);
    }

    @Test
    void theSettingsKnowWhereTheyStand() {
        assertThat(settings(Map.of()).pointer()).isEqualTo(AT);
        assertThat(FilterSettings.empty("/filters/0/log").pointer()).isEqualTo("/filters/0/log");
        assertThat(FilterSettings.empty("/filters/0/log").keys()).isEmpty();
    }

    @Test
    void allowOnlyAcceptsTheNamedKeys() {
        assertThatCode(() -> settings(Map.of("rules", List.of(), "header", "X")).allowOnly("header", "rules", "mode"))
                .doesNotThrowAnyException();
    }

    @Test
    void allowOnlyRejectsAMisspeltKeyListingWhatIsExpected() {
        FilterSettings settings = settings(Map.of("headr", "X"));

        assertProblem(() -> settings.allowOnly("header", "rules"), AT + "/headr",
                "unknown setting; expected one of header, rules");
    }

    @Test
    void allowOnlyPointsAtAnEscapedKey() {
        assertProblem(() -> settings(Map.of("x/y", "1")).allowOnly("header"), AT + "/x~1y",
                "unknown setting; expected one of header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "On", " true "})
    void flagsReadTrue(String text) {
        assertThat(settings(Map.of("f", text)).flag("f", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "OFF", "off "})
    void flagsReadFalse(String text) {
        assertThat(settings(Map.of("f", text)).flag("f", true)).isFalse();
    }

    @Test
    void anAbsentFlagFallsBack() {
        assertThat(settings(Map.of()).flag("f", true)).isTrue();
        assertThat(settings(Map.of()).flag("f", false)).isFalse();
    }

    @Test
    void aFlagThatIsNeitherIsRejected() {
        assertProblem(() -> settings(Map.of("f", "maybe")).flag("f", true), AT + "/f",
                "must be true or false, not \"maybe\"");
        assertProblem(() -> settings(Map.of("f", "1")).flag("f", true), AT + "/f",
                "must be true or false, not \"1\"");
    }

    @Test
    void numbersAreDecimal() {
        FilterSettings settings = settings(Map.of("score", "5", "neg", " -2.5 ", "exp", "1e3"));

        assertThat(settings.number("score")).isEqualByComparingTo("5");
        assertThat(settings.optionalNumber("neg")).contains(new BigDecimal("-2.5"));
        assertThat(settings.number("exp")).isEqualByComparingTo("1000");
        assertThat(settings.optionalNumber("absent")).isEmpty();
    }

    @Test
    void aNumberThatIsNotOneIsRejected() {
        FilterSettings settings = settings(Map.of("score", "five"));

        assertProblem(() -> settings.number("score"), AT + "/score", "must be a number, not \"five\"");
        assertProblem(() -> settings(Map.of()).number("score"), AT + "/score", "is required");
    }

    @ParameterizedTest
    @CsvSource({
            "30s, PT30S",
            "10m, PT10M",
            "1h, PT1H",
            "1d, PT24H",
            "1.5h, PT1H30M",
            "' 2 H ', PT2H",
            ".5s, PT0.5S",
            "0s, PT0S",
            "PT1H, PT1H",
            "pt90m, PT1H30M",
            "P1D, PT24H"})
    void durationsAreANumberAndAUnitOrIso8601(String text, String expected) {
        assertThat(settings(Map.of("per", text)).duration("per")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "h", "1w", "-1h", "1 hour", "1h30m", "PT", "PT-1H", "1e3s", ""})
    void aDurationThatIsNotOneIsRejected(String text) {
        assertProblem(() -> settings(Map.of("per", text)).duration("per"), AT + "/per",
                "must be a duration such as 30s, 10m, 1h or 1d, not \"" + text + "\"");
    }

    @Test
    void anAbsentDurationIsEmptyOrRequired() {
        assertThat(settings(Map.of()).optionalDuration("per")).isEmpty();
        assertProblem(() -> settings(Map.of()).duration("per"), AT + "/per", "is required");
        assertProblem(() -> settings(Map.of("per", List.of("1h"))).duration("per"), AT + "/per",
                "must be a single value, not a list");
    }

    @Test
    void aDurationTooLongToHoldIsRejected() {
        assertProblem(() -> settings(Map.of("per", "99999999999999999999d")).duration("per"), AT + "/per",
                "is too long: \"99999999999999999999d\"");
    }

    @Test
    void stringsTakeOneValueOrAList() {
        FilterSettings settings = settings(Map.of("one", "a", "many", List.of("a", "b")));

        assertThat(settings.strings("one")).containsExactly("a");
        assertThat(settings.strings("many")).containsExactly("a", "b");
        assertThat(settings.strings("none")).isEmpty();
    }

    @Test
    void stringsPointAtTheBadItem() {
        FilterSettings settings = settings(Map.of("many", List.of("a", Map.of("k", "v")), "map", Map.of()));

        assertProblem(() -> settings.strings("many"), AT + "/many/1", "must be a single value, not a map");
        assertProblem(() -> settings.strings("map"), AT + "/map", "must be a value or a list of values, not a map");
    }

    @Test
    void stringMapsKeepTheirOrder() {
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("X-B", "2");
        add.put("X-A", "1");

        assertThat(settings(Map.of("add", add)).stringMap("add")).containsExactly(Map.entry("X-B", "2"), Map.entry("X-A", "1"));
        assertThat(settings(Map.of()).stringMap("add")).isEmpty();
    }

    @Test
    void aStringMapPointsAtTheBadValue() {
        FilterSettings settings = settings(Map.of("add", Map.of("X-A", List.of("1"))));

        assertProblem(() -> settings.stringMap("add"), AT + "/add/X-A", "must be a single value, not a list");
        assertProblem(() -> settings(Map.of("add", "x")).stringMap("add"), AT + "/add",
                "must be a map of settings, not \"x\"");
    }

    @Test
    void sectionsStandUnderTheirKey() {
        FilterSettings settings = settings(Map.of("dns", Map.of("server", "10.0.0.1", "a/b", "x")));

        FilterSettings dns = settings.section("dns");

        assertThat(dns.pointer()).isEqualTo(AT + "/dns");
        assertThat(dns.string("server")).isEqualTo("10.0.0.1");
        assertThat(dns.pointer("a/b")).isEqualTo(AT + "/dns/a~1b");
        assertProblem(() -> dns.string("port"), AT + "/dns/port", "is required");
        assertThat(settings.optionalSection("absent")).isEmpty();
        assertProblem(() -> settings.section("absent"), AT + "/absent", "is required");
        assertProblem(() -> settings(Map.of("dns", List.of())).section("dns"), AT + "/dns",
                "must be a map of settings, not a list");
    }

    @Test
    void aListOfSectionsPointsAtEachItem() {
        FilterSettings settings = settings(Map.of("rules", List.of(Map.of("regex", "a"), Map.of("regex", "b"))));

        List<FilterSettings> rules = settings.sections("rules");

        assertThat(rules).extracting(FilterSettings::pointer).containsExactly(AT + "/rules/0", AT + "/rules/1");
        assertThat(rules).extracting(rule -> rule.string("regex")).containsExactly("a", "b");
        assertThat(settings(Map.of()).sections("rules")).isEmpty();
    }

    @Test
    void aListOfSectionsRejectsWhatIsNotOne() {
        assertProblem(() -> settings(Map.of("rules", List.of(Map.of(), "x"))).sections("rules"), AT + "/rules/1",
                "must be a map of settings, not \"x\"");
        assertProblem(() -> settings(Map.of("rules", "x")).sections("rules"), AT + "/rules",
                "must be a list, not \"x\"");
    }

    @Test
    void problemsNameTheSettingOrTheWhole() {
        FilterSettings settings = settings(Map.of());

        FilterConfigException onKey = settings.problem("regex", "is not a regular expression");
        FilterConfigException onWhole = settings.problem("needs rules or a score");

        assertThat(onKey.pointer()).isEqualTo(AT + "/regex");
        assertThat(onKey.getMessage()).isEqualTo(AT + "/regex: is not a regular expression");
        assertThat(onWhole.pointer()).isEqualTo(AT);
        assertThat(onWhole.problem()).isEqualTo("needs rules or a score");
    }

    @Test
    void settingsAreEqualByValuesAndPlace() {
        assertThat(settings(Map.of("a", "1"))).isEqualTo(settings(Map.of("a", "1")))
                .hasSameHashCodeAs(settings(Map.of("a", "1")))
                .isNotEqualTo(FilterSettings.of(Map.of("a", "1"), "/filters/2/spam-tag"))
                .isNotEqualTo(settings(Map.of("a", "2")));
    }

    private static FilterSettings settings(Map<String, ?> values) {
        return FilterSettings.of(values, AT);
    }

    private static void assertProblem(ThrowingCallable call, String pointer, String problem) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FilterConfigException.class, e -> {
            assertThat(e.pointer()).isEqualTo(pointer);
            assertThat(e.problem()).isEqualTo(problem);
            assertThat(e.getMessage()).isEqualTo(pointer + ": " + problem);
        });
    }
}
