package org.popbridge.filters.rules;

import java.nio.charset.StandardCharsets;

/**
 * Converts config text to and from header octet strings. Header values are held one char per
 * octet; text from the config is Unicode, so it is encoded as UTF-8 to compare with (and to be
 * written into) headers. ASCII text is the same either way.
 */
public final class Utf8Octets {

    private Utf8Octets() {}

    /** The UTF-8 octets of {@code text}, one char per octet. */
    public static String of(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Back from octets to text, for showing config text in findings. */
    public static String text(String octets) {
        return new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
