package org.popbridge.proxy.core.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the POP3 unique-id of a message read from an IMAP folder is written from its UID and the
 * folder's UIDVALIDITY. popbridge's own form is {@code UIDVALIDITY.UID}; an admin who moves
 * users from the server's own POP3 to an IMAP upstream gives the server's form instead, so that
 * clients that leave mail on the server see the UIDLs they know and download nothing again.
 *
 * <p>The syntax is the part of Dovecot's {@code pop3_uidl_format} (its 2.3 variable expansion)
 * that UID and UIDVALIDITY can fill: {@code %u} or {@code %{uid}}, {@code %v} or
 * {@code %{uidvalidity}}, {@code %%}; before the variable a zero-padded width ({@code %08u})
 * and the modifier {@code X} (hexadecimal, lower-case letters, as Dovecot writes it), so
 * Dovecot's usual {@code %08Xu%08Xv} works. {@code %m}, {@code %f} and {@code %g} (a header
 * digest, a file name, a GUID) cannot be computed from what IMAP gives cheaply and are refused,
 * as are a width without zero padding (Dovecot cuts the value to it, which could give two
 * messages one UIDL) and a format without the UID.
 */
public final class UidlFormat {

    /** popbridge's own form: {@code UIDVALIDITY.UID}. */
    public static final UidlFormat DEFAULT = parse("%v.%u");

    /** RFC 1939 section 7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
    static final int MAX_LENGTH = 70;
    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    private final String pattern;
    private final List<Part> parts;

    private UidlFormat(String pattern, List<Part> parts) {
        this.pattern = pattern;
        this.parts = List.copyOf(parts);
    }

    /**
     * Reads a format.
     *
     * @throws IllegalArgumentException saying what is wrong, for the config error
     */
    public static UidlFormat parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '%') {
                if (c < 0x21 || c > 0x7E) {
                    throw new IllegalArgumentException("'" + pattern + "': a UIDL may hold only printable ASCII "
                            + "without spaces (RFC 1939), not " + describe(c));
                }
                literal.append(c);
                i++;
                continue;
            }
            i++;
            if (i < pattern.length() && pattern.charAt(i) == '%') {
                literal.append('%');
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            boolean zeroPadded = false;
            int width = 0;
            if (i < pattern.length() && pattern.charAt(i) == '0') {
                zeroPadded = true;
                i++;
            }
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                width = width * 10 + (pattern.charAt(i) - '0');
                if (width > MAX_LENGTH) {
                    throw new IllegalArgumentException("'" + pattern + "': a width over " + MAX_LENGTH
                            + ", the longest UIDL RFC 1939 allows");
                }
                i++;
            }
            if (width > 0 && !zeroPadded) {
                throw new IllegalArgumentException("'" + pattern + "': a width without zero padding cuts the value "
                        + "(two messages could share a UIDL); write it as %0" + width + "...");
            }
            boolean hex = false;
            if (i < pattern.length() && pattern.charAt(i) == 'X') {
                hex = true;
                i++;
            }
            if (i >= pattern.length()) {
                throw new IllegalArgumentException("'" + pattern + "': ends in the middle of a variable");
            }
            Variable variable;
            if (pattern.charAt(i) == '{') {
                int end = pattern.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'" + pattern + "': %{ without its }");
                }
                variable = Variable.named(pattern, pattern.substring(i + 1, end));
                i = end + 1;
            } else {
                variable = Variable.letter(pattern, pattern.charAt(i));
                i++;
            }
            parts.add(new Field(variable, hex, zeroPadded ? width : 0));
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        UidlFormat format = new UidlFormat(pattern, parts);
        if (parts.stream().noneMatch(part -> part instanceof Field field && field.variable() == Variable.UID)) {
            throw new IllegalArgumentException("'" + pattern + "': has no %u, so every message would have one UIDL");
        }
        String longest = format.uidl(MAX_UNSIGNED_32, MAX_UNSIGNED_32);
        if (longest.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'" + pattern + "': gives UIDLs up to " + longest.length()
                    + " characters long; RFC 1939 allows " + MAX_LENGTH);
        }
        if (format.uidl(0, 1).isEmpty()) {
            throw new IllegalArgumentException("'" + pattern + "': gives an empty UIDL");
        }
        return format;
    }

    /** The unique-id of the message {@code uid} in a folder whose UIDVALIDITY is {@code uidValidity}. */
    public String uidl(long uidValidity, long uid) {
        StringBuilder written = new StringBuilder(24);
        for (Part part : parts) {
            part.appendTo(written, uidValidity, uid);
        }
        return written.toString();
    }

    /** The format as written in the configuration. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UidlFormat that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static String describe(char c) {
        return c == ' ' ? "a space" : String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    private enum Variable {
        UID, UIDVALIDITY;

        static Variable letter(String pattern, char letter) {
            return switch (letter) {
                case 'u' -> UID;
                case 'v' -> UIDVALIDITY;
                case 'm', 'f', 'g' -> throw new IllegalArgumentException("'" + pattern + "': %" + letter
                        + " (" + (letter == 'm' ? "a digest of the header" : letter == 'f' ? "a file name" : "a GUID")
                        + ") cannot be computed from IMAP; only %u (UID) and %v (UIDVALIDITY)");
                default -> throw new IllegalArgumentException("'" + pattern + "': unknown variable %" + letter
                        + "; only %u (UID) and %v (UIDVALIDITY)");
            };
        }

        static Variable named(String pattern, String name) {
            return switch (name) {
                case "uid" -> UID;
                case "uidvalidity" -> UIDVALIDITY;
                default -> throw new IllegalArgumentException("'" + pattern + "': unknown variable %{" + name
                        + "}; only %{uid} and %{uidvalidity}");
            };
        }
    }

    private sealed interface Part {
        void appendTo(StringBuilder written, long uidValidity, long uid);
    }

    private record Literal(String text) implements Part {
        @Override
        public void appendTo(StringBuilder written, long uidValidity, long uid) {
            written.append(text);
        }
    }

    /** A variable, in decimal or (X) lower-case hexadecimal, zero-padded to {@code width} (0: none), never cut. */
    private record Field(Variable variable, boolean hex, int width) implements Part {
        @Override
        public void appendTo(StringBuilder written, long uidValidity, long uid) {
            long value = variable == Variable.UID ? uid : uidValidity;
            String digits = hex ? Long.toHexString(value) : Long.toString(value);
            for (int pad = width - digits.length(); pad > 0; pad--) {
                written.append('0');
            }
            written.append(digits);
        }
    }
}
