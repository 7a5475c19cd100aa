package org.popbridge.filters.rules;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { header: X-Spam-Score, above: 5 }}: the decimal number the header's value begins with
 * compares with the bound. {@code 7.3 (threshold 5)} reads as 7.3; a missing header or one that
 * does not begin with a number does not match.
 */
public record HeaderNumber(String header, Comparison comparison, BigDecimal bound) implements Condition {

    private static final Pattern LEADING_NUMBER = Pattern.compile("^[ \\t]*([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))");

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (String value : headers.all(header)) {
            Optional<BigDecimal> number = leadingNumber(value);
            if (number.isPresent() && comparison.holds(number.get().compareTo(bound))) {
                return true;
            }
        }
        return false;
    }

    /** The decimal number {@code value} begins with, after any white space. */
    static Optional<BigDecimal> leadingNumber(String value) {
        Matcher matcher = LEADING_NUMBER.matcher(value);
        return matcher.find() ? Optional.of(new BigDecimal(matcher.group(1))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "header " + header + " " + comparison.key() + " " + bound.toPlainString();
    }
}
