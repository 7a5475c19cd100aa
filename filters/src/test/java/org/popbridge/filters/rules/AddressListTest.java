package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Address headers as real mail writes them. */
class AddressListTest {

    private static List<String> addresses(String value) {
        return AddressList.parse(value).stream().map(MailAddress::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a@b.example                                   | a@b.example",
            "<a@b.example>                                 | a@b.example",
            "Alice <a@b.example>                           | a@b.example",
            "\"Doe, Jr\" <a@b.example>                     | a@b.example",
            "\"a <x@y.example>\" <a@b.example>             | a@b.example",
            "a@b.example (Alice)                           | a@b.example",
            "Alice (the (nested) one) <a@b.example>        | a@b.example",
            "\"Alice (not a comment)\" <a@b.example>       | a@b.example",
            "A@B.Example                                   | a@b.example",
            "a@b.example.                                  | a@b.example",
            "<@relay.example,@r2.example:a@b.example>      | a@b.example",
            "\"john doe\"@b.example                        | \"john doe\"@b.example",
            "\"odd@local\"@b.example                       | \"odd@local\"@b.example",
            "=?UTF-8?B?w4RyZ2Vy?= <a@b.example>            | a@b.example",
            "Alice a@b.example                             | a@b.example",
            "a@[IPv6:::1]                                  | a@[ipv6:::1]",
    })
    void oneMailbox(String value, String expected) {
        assertThat(addresses(value)).containsExactly(expected);
    }

    @Test
    void severalMailboxesSeparatedByCommasOutsideQuotesAndBrackets() {
        assertThat(addresses("\"Doe, John\" <j@x.example>, b@y.example (Bob, B.), <c@z.example>"))
                .containsExactly("j@x.example", "b@y.example", "c@z.example");
    }

    @Test
    void anUnquotedCommaInADisplayNameStillFindsTheAddress() {
        assertThat(addresses("Doe, John <j@x.example>")).containsExactly("j@x.example");
    }

    @Test
    void groupsGiveTheirMembersAndNoAddressForTheName() {
        assertThat(addresses("Team: a@x.example, B <b@y.example>;, c@z.example"))
                .containsExactly("a@x.example", "b@y.example", "c@z.example");
        assertThat(addresses("undisclosed-recipients:;")).isEmpty();
    }

    @Test
    void theNullReturnPathHoldsNoAddress() {
        assertThat(addresses("<>")).isEmpty();
        assertThat(addresses(" < > ")).isEmpty();
    }

    @Test
    void textWithoutAnAddressHoldsNone() {
        assertThat(addresses("MAILER-DAEMON")).isEmpty();
        assertThat(addresses("")).isEmpty();
        assertThat(addresses("a@")).isEmpty();
        assertThat(addresses("@b.example")).isEmpty();
    }

    @Test
    void domainMatchingTakesSubdomainsButNotLookalikes() {
        MailAddress address = MailAddress.parse("x@mail.spam.example").orElseThrow();
        assertThat(address.inDomain("spam.example")).isTrue();
        assertThat(address.inDomain("mail.spam.example")).isTrue();
        assertThat(address.inDomain("SPAM.Example")).isTrue();
        assertThat(address.inDomain("example")).isTrue();
        assertThat(MailAddress.parse("x@notspam.example").orElseThrow().inDomain("spam.example")).isFalse();
        assertThat(address.inDomain("other.spam.example")).isFalse();
    }
}
