package org.popbridge.filters.builtin;

/**
 * One audit line of {@code key=value} fields. Values that need it are quoted, and quotes,
 * backslashes and control characters in them escaped, so that nothing a client sends (a user
 * name with a space, a quote or a CR LF) can forge another field or another line.
 */
final class AuditLine {

    /** What an absent value is written as; a value that is literally "-" is quoted. */
    static final String ABSENT = "-";

    private final StringBuilder text = new StringBuilder();

    /** Appends {@code key=value}; the key is the caller's constant, the value anything. */
    AuditLine field(String key, Object value) {
        if (!text.isEmpty()) {
            text.append(' ');
        }
        text.append(key).append('=');
        if (value == null) {
            text.append(ABSENT);
        } else {
            appendValue(String.valueOf(value));
        }
        return this;
    }

    private void appendValue(String value) {
        if (!needsQuotes(value)) {
            text.append(value);
            return;
        }
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                default -> {
                    if (isLineBreaking(c)) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty() || value.equals(ABSENT)) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '"' || c == '\\' || c == '=' || c == '\t' || c == '\r' || c == '\n'
                    || isLineBreaking(c)) {
                return true;
            }
        }
        return false;
    }

    /** Controls, and the Unicode line and paragraph separators some log viewers break lines at. */
    private static boolean isLineBreaking(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
