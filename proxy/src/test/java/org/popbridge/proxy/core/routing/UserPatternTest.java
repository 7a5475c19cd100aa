package org.popbridge.proxy.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserPatternTest {

    @ParameterizedTest
    @CsvSource({
            "alice@example.com, alice@example.com, true",
            "alice@example.com, ALICE@Example.Com, true",
            "alice@example.com, alice, false",
            "alice@example.com, alice@example.com.evil, false",
            "alice@example.com, xalice@example.com, false",
            "alice, alice, true",
            "alice, Alice, true",
            "alice, alice@example.com, false",
            "*@example.com, bob@example.com, true",
            "*@example.com, Bob@EXAMPLE.COM, true",
            "*@example.com, bob@sub.example.com, false",
            "*@example.com, bob@example.com.evil, false",
            "*@example.com, bob, false",
            "*@example.com, @example.com, false",
            "*@example.com, odd@name@example.com, true",
            "*, anyone, true",
            "*, anyone@anywhere.example, true",
    })
    void matches(String pattern, String user, boolean expected) {
        assertThat(UserPattern.parse(pattern).matches(user)).isEqualTo(expected);
    }

    @Test
    void kindsAndKeysCompareWithoutCase() {
        assertThat(UserPattern.parse("Alice@Example.com").kind()).isEqualTo(UserPattern.Kind.USER);
        assertThat(UserPattern.parse("Alice@Example.com").key()).isEqualTo("alice@example.com");
        assertThat(UserPattern.parse("*@Example.com").kind()).isEqualTo(UserPattern.Kind.DOMAIN);
        assertThat(UserPattern.parse("*@Example.com").key()).isEqualTo("example.com");
        assertThat(UserPattern.parse("*")).isEqualTo(UserPattern.everyone());
    }

    @Test
    void toStringIsThePatternAsWritten() {
        assertThat(UserPattern.parse("*@Example.com")).hasToString("*@Example.com");
        assertThat(UserPattern.parse("Alice")).hasToString("Alice");
        assertThat(UserPattern.everyone()).hasToString("*");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|must not be empty: write a user name (alice@example.com), *@domain or *",
            "*@|'*@' has no domain after *@",
            "a@*|'a@*': * stands only for a whole name (*) or for everything before @ (*@example.com)",
            "*foo|'*foo': * stands only for a whole name (*) or for everything before @ (*@example.com)",
            "**|'**': * stands only for a whole name (*) or for everything before @ (*@example.com)",
            "*@*.example.com|'*@*.example.com': '*.example.com' is not a domain (a pattern is a user name, *@domain or *)",
            "*@a@example.com|'*@a@example.com': 'a@example.com' is not a domain (a pattern is a user name, *@domain or *)",
            "*@.example.com|'*@.example.com': '.example.com' is not a domain (empty label)",
            "@example.com|'@example.com' has no user name before @",
            "alice@|'alice@' has no domain after @",
            "a@b@example.com|'a@b@example.com' has more than one @",
            "alice smith|'alice smith' contains a space or control character",
            "' alice'|' alice' contains a space or control character",
    })
    void junkIsRefusedWithAReason(String pattern, String message) {
        assertThatThrownBy(() -> UserPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void controlCharactersAreRefusedAndShownEscaped() {
        assertThatThrownBy(() -> UserPattern.parse("alice\r\n"))
                .hasMessage("'alice\\u000D\\u000A' contains a space or control character");
        assertThatThrownBy(() -> UserPattern.parse("ali\u200Bce"))
                .hasMessage("'ali\\u200Bce' contains a space or control character");
        assertThatThrownBy(() -> UserPattern.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPatternBuiltDirectlyIsCheckedToo() {
        assertThatThrownBy(() -> new UserPattern(UserPattern.Kind.USER, "*@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserPattern(UserPattern.Kind.DOMAIN, "a b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
