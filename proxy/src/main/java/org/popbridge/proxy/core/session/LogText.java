package org.popbridge.proxy.core.session;

/**
 * Text a client or a mail server sent, as a log line may show it: every control character
 * escaped and the length capped, so that a user name, a command or a server's reply can neither
 * drive the terminal of an admin reading the log (ESC, OSC and CSI sequences, BEL), nor forge a
 * line, nor flood one. The one renderer of such text in popbridge's logs; secrets are the
 * masks' to remove before ({@link CommandMask}, {@link SessionMask}).
 *
 * <p>Rendering is lazy: pass the object as an SLF4J {@code {}} argument, and nothing is copied
 * or escaped unless the line is written.
 */
public final class LogText {

    /** Characters shown of a longer text; the rest is counted. */
    public static final int LIMIT = 200;

    private final Object value;

    private LogText(Object value) {
        this.value = value;
    }

    /** The value as it will be logged; its {@code toString()} is called only when the line is written. */
    public static LogText of(Object value) {
        return new LogText(value);
    }

    @Override
    public String toString() {
        return escape(String.valueOf(value));
    }

    private static String escape(String text) {
        int shown = Math.min(text.length(), LIMIT);
        if (shown < text.length() && Character.isHighSurrogate(text.charAt(shown - 1))) {
            // Never cut a character in two: the half left over would show as garbage.
            shown--;
        }
        if (shown == text.length() && !needsEscape(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            append(out, text.charAt(i));
        }
        if (shown < text.length()) {
            out.append("…(").append(text.length() - shown).append(" more)");
        }
        return out.toString();
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isControl(c)) {
                return true;
            }
        }
        return false;
    }

    private static void append(StringBuilder out, char c) {
        switch (c) {
            // The backslash too, so that an escape in the log always means the character, never the text.
            case '\\' -> out.append("\\\\");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\u001b' -> out.append("\\e");
            default -> {
                if (c < 0x100 && isControl(c)) {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                } else if (isControl(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    /**
     * C0, DEL and C1 (U+0080 to U+009F: an octet 0x9B read as ISO-8859-1 is a CSI to a terminal
     * that takes it as such), the line and paragraph separators some log viewers break lines at,
     * and the bidirectional controls that make a viewer show a line in another order than it is.
     */
    private static boolean isControl(char c) {
        return Character.isISOControl(c)
                || c == '\u2028' || c == '\u2029'
                || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
