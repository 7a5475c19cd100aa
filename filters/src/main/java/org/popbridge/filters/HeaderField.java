package org.popbridge.filters;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One header field exactly as received: name, colon, body and folded continuation lines,
 * line end included (RFC 5322 section 2.2).
 *
 * <p>Strings here are octet strings: one char per octet, decoded as ISO-8859-1, so 8-bit
 * octets survive any read, edit and write unchanged. No RFC 2047 decoding is done.
 *
 * @param raw the exact octets of the field, continuation lines and line end included; the
 *     name and value are derived from it so that they can never disagree with the bytes
 */
public record HeaderField(String raw) implements HeaderEntry {

    private static final String CRLF = "\r\n";

    /** Checks that {@code raw} is one field: a valid name before the first colon, and no line break that is not folding. */
    public HeaderField {
        Objects.requireNonNull(raw, "raw");
        int colon = raw.indexOf(':');
        if (colon < 0 || !isFieldName(stripTrailingWsp(raw.substring(0, colon)))) {
            throw new IllegalArgumentException("not a header field: no valid field name before a colon");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("header field holds a char that is not an octet at index " + i);
            }
            // Any LF but the last must start a continuation line, or the field would end early
            // and smuggle in a field of its own.
            if (c == '\n' && i + 1 < raw.length() && !isWsp(raw.charAt(i + 1))) {
                throw new IllegalArgumentException("header field has a line break that is not folding at index " + i);
            }
        }
    }

    /** A new unfolded field {@code name: value} ending with {@code lineEnd} (RFC 5322 section 3.6.8). */
    static HeaderField of(String name, String value, String lineEnd) {
        requireFieldName(name);
        requireValue(value);
        return new HeaderField(value.isEmpty() ? name + ":" + lineEnd : name + ": " + value + lineEnd);
    }

    /** The field name as spelled in the message, without white space before the colon (RFC 5322 section 2.2, 4.5). */
    public String name() {
        return stripTrailingWsp(raw.substring(0, raw.indexOf(':')));
    }

    /** Whether this field has {@code name}, compared case-insensitively over US-ASCII only (RFC 5322 section 1.2.2). */
    public boolean hasName(String name) {
        String own = name();
        if (own.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < own.length(); i++) {
            if (asciiLower(own.charAt(i)) != asciiLower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unfolded field body (RFC 5322 section 3.2.2): each line break followed by white space
     * removed, the final line end dropped, white space after the colon trimmed. Trailing white
     * space is kept, as the message holds it.
     */
    public String value() {
        String body = raw.substring(raw.indexOf(':') + 1, raw.length() - lineEnd().length());
        // The constructor lets an LF inside the body only start a continuation line, so every
        // line break left here is folding and can simply go.
        String unfolded = body.replace("\r\n", "").replace("\n", "");
        int start = 0;
        while (start < unfolded.length() && isWsp(unfolded.charAt(start))) {
            start++;
        }
        return unfolded.substring(start);
    }

    /** The line end the field's last line has: CRLF, a bare LF, or "" for a last line cut short. */
    public String lineEnd() {
        if (raw.endsWith(CRLF)) {
            return CRLF;
        }
        return raw.endsWith("\n") ? "\n" : "";
    }

    /** The exact octets of the field, continuation lines and line end included. */
    public byte[] toBytes() {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * This field with {@code prefix} put before the first octet of its value; the name, the
     * white space after the colon, the folding and the line end keep their octets.
     */
    HeaderField prefixed(String prefix) {
        requireValue(prefix);
        int at = raw.indexOf(':') + 1;
        while (at < raw.length() && (raw.charAt(at) == ' ' || raw.charAt(at) == '\t')) {
            at++;
        }
        // "Subject:foo" has no space to keep; one goes before the prefix so the field stays readable.
        String separator = at == raw.indexOf(':') + 1 ? " " : "";
        return new HeaderField(raw.substring(0, at) + separator + prefix + raw.substring(at));
    }

    /** This field under another name; white space before the colon, the colon and the body keep their octets. */
    HeaderField renamed(String newName) {
        requireFieldName(newName);
        return new HeaderField(newName + raw.substring(name().length()));
    }

    /** Whether {@code s} is a field name: one or more printable US-ASCII chars except colon (RFC 5322 section 3.6.8). */
    static boolean isFieldName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }

    static String requireFieldName(String name) {
        Objects.requireNonNull(name, "name");
        if (!isFieldName(name)) {
            throw new IllegalArgumentException("not an RFC 5322 field name: \"" + printable(name) + "\"");
        }
        return name;
    }

    static String requireValue(String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // CR or LF would end the field and let the value inject fields or a body of its own.
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("header value holds CR or LF at index " + i);
            }
            if (c > 0xFF) {
                throw new IllegalArgumentException(
                        "header value holds a char that is not an octet (values are ISO-8859-1 octet strings) at index " + i);
            }
        }
        return value;
    }

    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static String stripTrailingWsp(String s) {
        int end = s.length();
        while (end > 0 && isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
