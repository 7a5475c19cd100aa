package org.popbridge.filters.rules;

/**
 * Case folding for header octet strings. Only US-ASCII letters fold: folding the 8-bit octets as
 * Latin-1 letters would make unrelated UTF-8 sequences compare equal.
 */
public final class AsciiCase {

    private AsciiCase() {}

    /** {@code text} with US-ASCII letters in lower case and every other char as it is. */
    public static String lower(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code text} begins with {@code prefix}, US-ASCII letters compared without case. */
    public static boolean startsWith(String text, String prefix) {
        return lower(text).startsWith(lower(prefix));
    }
}
