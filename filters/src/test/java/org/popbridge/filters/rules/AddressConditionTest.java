package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;
import static org.popbridge.filters.rules.Mail.matches;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.popbridge.filters.HeaderBlock;

/** The address tests on From, Reply-To, Return-Path and all three as sender. */
class AddressConditionTest {

    private static final HeaderBlock MAIL = headers(
            "Return-Path: <bounce@mail.bulk.example>",
            "From: \"Shop, Inc\" <Offers@Shop.example>",
            "Reply-To: support@help.example (Help desk)",
            "To: me@home.example");

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            "from-address,        offers@shop.example,     true",
            "from-address,        support@help.example,    false",
            "from-domain,         shop.example,            true",
            "from-domain,         help.example,            false",
            "reply-to-address,    SUPPORT@help.example,    true",
            "reply-to-address,    offers@shop.example,     false",
            "reply-to-domain,     help.example,            true",
            "reply-to-domain,     bulk.example,            false",
            "return-path-address, bounce@mail.bulk.example, true",
            "return-path-address, bounce@bulk.example,     false",
            "return-path-domain,  bulk.example,            true",
            "return-path-domain,  shop.example,            false",
            "sender-address,      offers@shop.example,     true",
            "sender-address,      support@help.example,    true",
            "sender-address,      bounce@mail.bulk.example, true",
            "sender-address,      me@home.example,         false",
            "sender-domain,       shop.example,            true",
            "sender-domain,       help.example,            true",
            "sender-domain,       bulk.example,            true",
            "sender-domain,       home.example,            false",
    })
    void eachAddressTestReadsItsHeaders(String test, String wanted, boolean expected) {
        assertThat(matches(map(test, wanted), MAIL)).isEqualTo(expected);
    }

    @Test
    void aListMatchesIfAnyEntryDoes() {
        assertThat(matches(map("from-domain", List.of("nowhere.example", "shop.example")), MAIL)).isTrue();
        assertThat(matches(map("from-domain", List.of("nowhere.example", "other.example")), MAIL)).isFalse();
    }

    @Test
    void aDomainTakesInItsSubdomainsButNotLookalikes() {
        assertThat(matches(map("from-domain", "spam.example"), headers("From: x@mail.spam.example"))).isTrue();
        assertThat(matches(map("from-domain", "spam.example"), headers("From: x@notspam.example"))).isFalse();
        assertThat(matches(map("from-domain", "mail.spam.example"), headers("From: x@spam.example"))).isFalse();
    }

    @Test
    void anyAddressOfSeveralMayMatch() {
        assertThat(matches(map("from-address", "b@y.example"), headers("From: a@x.example, \"B, b\" <b@y.example>")))
                .isTrue();
    }

    @Test
    void aNullReturnPathOrAMissingHeaderMatchesNothing() {
        assertThat(matches(map("return-path-domain", "example"), headers("Return-Path: <>"))).isFalse();
        assertThat(matches(map("reply-to-domain", "example"), headers("From: a@b.example"))).isFalse();
    }

    @Test
    void describesItself() {
        assertThat(Conditions.parse(Mail.condition("from-domain", List.of("spam.example", "junk.example"))))
                .hasToString("from-domain any of spam.example, junk.example");
        assertThat(Conditions.parse(Mail.condition("sender-address", "A@B.example")))
                .hasToString("sender-address a@b.example");
    }
}
