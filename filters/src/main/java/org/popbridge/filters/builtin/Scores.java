package org.popbridge.filters.builtin;

import java.math.BigDecimal;

/** How scores read in findings and headers: plain decimals without trailing zeros, as written in the config. */
final class Scores {

    private Scores() {}

    /** {@code 5}, {@code 2.5}, {@code -1}; never {@code 5.0} or {@code 1E+1}. */
    static String plain(BigDecimal score) {
        return score.signum() == 0 ? "0" : score.stripTrailingZeros().toPlainString();
    }

    /** A rule's contribution: {@code +10}, {@code -2.5}. */
    static String signed(BigDecimal score) {
        return score.signum() < 0 ? plain(score) : "+" + plain(score);
    }
}
