package org.popbridge.filters.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a message size from the config: plain octets, or KB, MB, GB counted in 1024s. */
public final class OctetSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMG]?B)?", Pattern.CASE_INSENSITIVE);

    private OctetSize() {}

    /**
     * The octets in {@code text}, such as {@code 1048576}, {@code 10KB}, {@code 1.5 MB}, {@code 2gb};
     * a fraction of an octet is dropped.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a size such as 500000, 10KB, 1MB or 2GB, not \"" + text + "\"");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 0;
        };
        try {
            return new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(1L << shift))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large: \"" + text + "\"");
        }
    }
}
