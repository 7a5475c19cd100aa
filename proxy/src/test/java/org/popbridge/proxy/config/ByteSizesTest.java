package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "512, 512",
            "512B, 512",
            "1KB, 1024",
            "256KB, 262144",
            "256 KB, 262144",
            "256kb, 262144",
            "64MB, 67108864",
            "1GB, 1073741824",
            "' 16MB ', 16777216",
    })
    void sizesAreCountedIn1024s(String written, long octets) {
        assertThat(ByteSizes.parse(written)).isEqualTo(octets);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "64 megabytes", "-1KB", "1.5MB", "64MiB", "1TB", "0x100"})
    void whatIsNotASizeIsNamed(String written) {
        assertThatThrownBy(() -> ByteSizes.parse(written))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a size: '" + written + "' (use e.g. 256KB, 64MB, 1GB, or a number of octets)");
    }

    @Test
    void aSizeTooLargeToCountIsRefusedRatherThanWrapped() {
        assertThat(ByteSizes.parse("8589934591GB")).isEqualTo(8589934591L << 30);
        assertThatThrownBy(() -> ByteSizes.parse("8589934592GB")).hasMessage("too large: '8589934592GB'");
        assertThatThrownBy(() -> ByteSizes.parse("99999999999999999999")).hasMessage("too large: '99999999999999999999'");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0B",
            "1000, 1000B",
            "1024, 1KB",
            "1536, 1536B",
            "262144, 256KB",
            "16777216, 16MB",
            "1073741824, 1GB",
            "1099511627776, 1024GB",
    })
    void aSizeIsShownInTheLargestExactUnit(long octets, String shown) {
        assertThat(ByteSizes.format(octets)).isEqualTo(shown);
        assertThat(ByteSizes.parse(shown)).isEqualTo(octets);
    }
}
