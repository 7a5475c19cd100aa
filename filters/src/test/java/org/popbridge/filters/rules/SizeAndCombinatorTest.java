package org.popbridge.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** Size tests against the LIST size, and any, all, not. */
class SizeAndCombinatorTest {

    private static boolean test(Map<String, Object> condition, HeaderBlock headers, long size) {
        return Conditions.parse(FilterSettings.of(condition, "/c")).test(headers, MessageInfo.offline(size));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0,        0",
            "500000,   500000",
            "10KB,     10240",
            "10 kb,    10240",
            "1MB,      1048576",
            "1.5MB,    1572864",
            "2GB,      2147483648",
            "7B,       7",
    })
    void sizesAreOctetsOr1024BasedUnits(String text, long octets) {
        assertThat(OctetSize.parse(text)).isEqualTo(octets);
    }

    @Test
    void sizesThatAreNotSizesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> OctetSize.parse("1TB"));
        assertThatIllegalArgumentException().isThrownBy(() -> OctetSize.parse("-5"));
        assertThatIllegalArgumentException().isThrownBy(() -> OctetSize.parse("MB"));
        assertThatIllegalArgumentException().isThrownBy(() -> OctetSize.parse("99999999999999GB"));
    }

    @Test
    void sizeAboveAndBelowAreStrict() {
        HeaderBlock none = headers();
        assertThat(test(map("size-above", "1KB"), none, 1025)).isTrue();
        assertThat(test(map("size-above", "1KB"), none, 1024)).isFalse();
        assertThat(test(map("size-below", "1KB"), none, 1023)).isTrue();
        assertThat(test(map("size-below", "1KB"), none, 1024)).isFalse();
    }

    @Test
    void anUnknownSizeMatchesNeither() {
        assertThat(test(map("size-above", "0"), headers(), -1)).isFalse();
        assertThat(test(map("size-below", "1GB"), headers(), -1)).isFalse();
    }

    private static final HeaderBlock SHOUTY = headers("Subject: WIN NOW!", "X-Spam-Flag: YES");
    private static final Map<String, Object> SHOUTS = map("header", "Subject", "regex", "^[A-Z !]+$");
    private static final Map<String, Object> FLAGGED = map("header", "X-Spam-Flag", "is", "YES");
    private static final Map<String, Object> BIG = map("size-above", "1MB");

    @Test
    void anyHoldsIfOneHolds() {
        assertThat(test(map("any", List.of(BIG, SHOUTS)), SHOUTY, 10)).isTrue();
        assertThat(test(map("any", List.of(BIG, map("header", "X-Absent", "exists", "true"))), SHOUTY, 10)).isFalse();
    }

    @Test
    void allHoldsIfEveryOneHolds() {
        assertThat(test(map("all", List.of(BIG, SHOUTS)), SHOUTY, 2 << 20)).isTrue();
        assertThat(test(map("all", List.of(BIG, SHOUTS)), SHOUTY, 10)).isFalse();
    }

    @Test
    void notInverts() {
        assertThat(test(map("not", BIG), SHOUTY, 10)).isTrue();
        assertThat(test(map("not", BIG), SHOUTY, 2 << 20)).isFalse();
    }

    @Test
    void combinatorsNest() {
        Map<String, Object> nested = map("all", List.of(
                FLAGGED,
                map("any", List.of(BIG, map("not", SHOUTS)))));
        assertThat(test(nested, SHOUTY, 2 << 20)).isTrue();
        assertThat(test(nested, SHOUTY, 10)).isFalse();
        assertThat(test(nested, headers("Subject: quiet", "X-Spam-Flag: YES"), 10)).isTrue();
        assertThat(Conditions.parse(FilterSettings.of(nested, "/c"))).hasToString(
                "all of (header X-Spam-Flag is YES; any of (size above 1MB; not (header Subject regex ^[A-Z !]+$)))");
    }
}
