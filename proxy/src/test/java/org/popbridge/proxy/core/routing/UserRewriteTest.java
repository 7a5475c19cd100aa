package org.popbridge.proxy.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserRewriteTest {

    @ParameterizedTest
    @CsvSource({
            "alice@example.com, alice@example.com",
            "alice, alice",
            "Alice@Example.com, Alice@Example.com",
    })
    void keepSendsTheNameAsTheClientSentIt(String user, String upstream) {
        assertThat(UserRewrite.keep().apply(user)).isEqualTo(upstream);
    }

    @ParameterizedTest
    @CsvSource({
            "alice@example.com, alice",
            "Alice@Example.com, Alice",
            "alice, alice",
            "odd@name@example.com, odd@name",
            "@example.com, @example.com",
            "alice@, alice@",
    })
    void stripDomainDropsTheDomain(String user, String upstream) {
        assertThat(UserRewrite.stripDomain().apply(user)).isEqualTo(upstream);
    }

    @ParameterizedTest
    @CsvSource({
            "alice, alice@example.com",
            "Alice, Alice@example.com",
            "alice@example.org, alice@example.org",
            "'', ''",
    })
    void addDomainAddsItOnlyWhereThereIsNone(String user, String upstream) {
        assertThat(UserRewrite.addDomain("example.com").apply(user)).isEqualTo(upstream);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@example.com", "example com", "*.example.com", ".example.com", "example..com",
            "example.com\r\n"})
    void addDomainNeedsADomain(String domain) {
        assertThatThrownBy(() -> UserRewrite.addDomain(domain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("' is not a domain such as example.com");
    }

    @Test
    void eachRewriteSaysWhatItIsInTheConfigsWords() {
        assertThat(UserRewrite.keep()).hasToString("keep");
        assertThat(UserRewrite.stripDomain()).hasToString("strip-domain");
        assertThat(UserRewrite.addDomain("example.com")).hasToString("add-domain example.com");
        assertThat(UserRewrite.addDomain("example.com")).isEqualTo(UserRewrite.addDomain("example.com"));
    }
}
