package org.popbridge.proxy.pop3.maildrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LIST and UIDL listings as upstreams write them, and the lines that must stop the numbering. */
class ScanListingTest {

    @Test
    void readsNumbersAndValuesInNumberOrder() {
        ScanListing listing = new ScanListing();
        listing.add("2 2048");
        listing.add("1  512 extra words are ignored");
        listing.add(" 10 uid-xyz");
        assertThat(listing.values()).containsExactly(Map.entry(1, "512"), Map.entry(2, "2048"), Map.entry(10, "uid-xyz"));
        assertThat(ScanListing.size("512")).isEqualTo(512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1 ", "x 12", "-1 12", "0 12", "1234567890 12", " 12"})
    void refusesLinesThatAreNotScanListings(String line) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanListing().add(line));
    }

    @Test
    void refusesANumberListedTwice() {
        ScanListing listing = new ScanListing();
        listing.add("1 10");
        assertThatIllegalArgumentException().isThrownBy(() -> listing.add("1 11"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12a", "-5", "1234567890123456789"})
    void refusesSizesThatAreNotOctetCounts(String size) {
        assertThatIllegalArgumentException().isThrownBy(() -> ScanListing.size(size));
    }
}
