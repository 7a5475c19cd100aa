package org.popbridge.filters.rules;

import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.HeaderBlock;

/**
 * Checks header names and values from the config at start-up, with exactly the rules
 * {@link HeaderBlock} applies when it edits (RFC 5322 section 3.6.8), so an edit cannot fail later
 * on a message.
 */
public final class FieldSyntax {

    private FieldSyntax() {}

    /**
     * Returns {@code name} if it is a field name.
     *
     * @throws FilterConfigException at {@code pointer} if it is not
     */
    public static String requireName(String pointer, String name) {
        return requireField(pointer, name, "");
    }

    /**
     * Checks that {@code name: value} can be written into a header block; {@code value} is an octet
     * string (see {@link Utf8Octets}).
     *
     * @throws FilterConfigException at {@code pointer} if the name is not a field name or the value holds CR or LF
     */
    public static String requireField(String pointer, String name, String value) {
        try {
            HeaderBlock.parse(new byte[0]).add(name, value);
        } catch (IllegalArgumentException e) {
            throw new FilterConfigException(pointer, e.getMessage());
        }
        return name;
    }
}
