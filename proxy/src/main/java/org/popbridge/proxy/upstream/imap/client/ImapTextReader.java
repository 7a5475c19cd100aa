package org.popbridge.proxy.upstream.imap.client;

/**
 * A cursor over response text for {@link ImapResponseParser}. A literal announcement
 * "{n}" or "~{n}" stands for the literal's value; when the text ends right after one
 * ({@link #endedInLiteral()}) the reader has reached a place where the response goes on
 * after octets it does not see, and callers stop there.
 */
final class ImapTextReader {

    private final String text;
    private int pos;
    private long lastLiteralSize = -1;
    private boolean endedInLiteral;

    ImapTextReader(String text) {
        this.text = text;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        if (atEnd()) {
            throw error("text ends early");
        }
        return text.charAt(pos);
    }

    boolean tryChar(char c) {
        if (!atEnd() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!tryChar(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** One SP; some servers send more, which is accepted. */
    void space() {
        expect(' ');
        while (tryChar(' ')) {
            // lenient about repeated spaces
        }
    }

    /** The rest of the text from the cursor. */
    String rest() {
        String rest = text.substring(Math.min(pos, text.length()));
        pos = text.length();
        return rest;
    }

    /** A run of characters up to SP, "(", ")", "[", "]" or the end; at least one. */
    String word() {
        int start = pos;
        while (!atEnd() && " ()[]".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a word");
        }
        return text.substring(start, pos);
    }

    /** Characters up to (not including) {@code stop} or the end. */
    String until(char stop) {
        int end = text.indexOf(stop, pos);
        if (end < 0) {
            end = text.length();
        }
        String taken = text.substring(pos, end);
        pos = end;
        return taken;
    }

    boolean atDigit() {
        return !atEnd() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 0x80;
    }

    /** 1*DIGIT as a non-negative long (number and number64 of RFC 9051 section 9). */
    long number() {
        int start = pos;
        while (!atEnd() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("expected a number");
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("number out of range");
        }
    }

    /**
     * A fetch item name: an atom, a section in brackets (which may hold a parenthesized
     * header list), and a partial origin "&lt;n&gt;".
     */
    String itemName() {
        int start = pos;
        while (!atEnd() && " ()[]{\"".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (tryChar('[')) {
            int depth = 0;
            while (!atEnd() && !(depth == 0 && text.charAt(pos) == ']')) {
                char c = text.charAt(pos++);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '"') {
                    pos--;
                    skipQuoted();
                }
            }
            expect(']');
            if (tryChar('<')) {
                number();
                expect('>');
            }
        }
        if (pos == start) {
            throw error("expected a fetch item");
        }
        return text.substring(start, pos);
    }

    boolean atLiteral() {
        return !atEnd() && (text.charAt(pos) == '{'
                || (text.charAt(pos) == '~' && pos + 1 < text.length() && text.charAt(pos + 1) == '{'));
    }

    /** Reads "{n}" or "~{n}" and returns n; notes whether the text ends there. */
    long literal() {
        tryChar('~');
        expect('{');
        long size = number();
        expect('}');
        lastLiteralSize = size;
        endedInLiteral = atEnd();
        return size;
    }

    long lastLiteralSize() {
        return lastLiteralSize;
    }

    /** True once the reader consumed a literal announcement that is the last thing in the text. */
    boolean endedInLiteral() {
        return endedInLiteral;
    }

    /** Skips one value: number, atom, NIL, quoted string, literal, or a parenthesized list of values. */
    void skipValue() {
        char c = peek();
        if (c == '(') {
            skipList();
        } else if (c == '"') {
            skipQuoted();
        } else if (atLiteral()) {
            literal();
        } else {
            itemName();
        }
    }

    private void skipList() {
        expect('(');
        while (true) {
            while (tryChar(' ')) {
                // elements are separated by SP
            }
            if (endedInLiteral || tryChar(')')) {
                return;
            }
            skipValue();
        }
    }

    /** A quoted string with "\" escapes (RFC 9051 section 4.3). */
    String quoted() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                c = peek();
                pos++;
            }
            value.append(c);
        }
    }

    private void skipQuoted() {
        quoted();
    }

    ImapSyntaxException error(String what) {
        return new ImapSyntaxException(what + " at offset " + pos);
    }
}
