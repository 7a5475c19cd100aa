package org.popbridge.proxy.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes as operators write them: "256KB", "64MB", "1GB", "512B", or a plain number of octets. */
public final class ByteSizes {

    // 1024-based, as memory is counted; "KB" rather than "KiB" because that is what operators write.
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?B)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KB", "MB", "GB"};

    private ByteSizes() {
    }

    /**
     * The number of octets {@code text} stands for.
     *
     * @throws IllegalArgumentException if it is not a size, or too large to count
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 256KB, 64MB, 1GB, or a number of octets)");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        int shift = 10 * java.util.Arrays.asList(UNITS).indexOf(unit);
        try {
            long amount = Long.parseLong(matcher.group(1));
            if (amount > Long.MAX_VALUE >> shift) {
                throw new ArithmeticException();
            }
            return amount << shift;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("too large: '" + text + "'");
        }
    }

    /** A size in the largest unit that divides it exactly, such as "256KB"; the inverse of {@link #parse}. */
    public static String format(long octets) {
        int unit = 0;
        long amount = octets;
        while (unit < UNITS.length - 1 && amount != 0 && amount % 1024 == 0) {
            amount /= 1024;
            unit++;
        }
        return amount + UNITS[unit];
    }
}
