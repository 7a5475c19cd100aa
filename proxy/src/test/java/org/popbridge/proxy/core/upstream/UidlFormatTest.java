package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UidlFormatTest {

    @Test
    void popbridgesOwnFormIsUidvalidityDotUid() {
        assertThat(UidlFormat.DEFAULT.uidl(1796486465L, 1)).isEqualTo("1796486465.1");
    }

    /** The interop Dovecot's pop3_uidl_format = %08Xu%08Xv gave 000000016b143541 for UID 1 in UIDVALIDITY 0x6b143541. */
    @Test
    void dovecotsUsualFormatGivesDovecotsUidls() {
        UidlFormat dovecot = UidlFormat.parse("%08Xu%08Xv");
        assertThat(dovecot.uidl(0x6b143541L, 1)).isEqualTo("000000016b143541");
        assertThat(dovecot.uidl(0xFFFFFFFFL, 0xFFFFFFFFL)).isEqualTo("ffffffffffffffff");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%u|42",
            "%v-%u|7-42",
            "%{uidvalidity}.%{uid}|7.42",
            "%Xu|2a",
            "%06u|000042",
            "uid%%%u|uid%42",
            "%08Xv%08Xu|000000070000002a",
    })
    void variablesWidthsAndHex(String pattern, String expected) {
        assertThat(UidlFormat.parse(pattern).uidl(7, 42)).isEqualTo(expected);
    }

    @Test
    void aZeroPaddedWidthNeverCutsALongerValue() {
        assertThat(UidlFormat.parse("%02u").uidl(1, 12345)).isEqualTo("12345");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%v|has no %u",
            "%m%u|cannot be computed from IMAP",
            "%g|cannot be computed from IMAP",
            "%q%u|unknown variable %q",
            "%{guid}%u|unknown variable %{guid}",
            "%8u|cuts the value",
            "%u %v|printable ASCII without spaces",
            "%u%|ends in the middle of a variable",
            "%{uid|without its }",
            "%070u%u|RFC 1939 allows 70",
            "%099u|a width over 70",
    })
    void mistakesAreRefusedSayingWhy(String pattern, String why) {
        assertThatThrownBy(() -> UidlFormat.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }
}
