package org.popbridge.proxy.upstream.imap.client;

import java.nio.charset.StandardCharsets;

/**
 * Chooses the wire form of a string argument (RFC 9051 section 4.3): an atom when every
 * character allows it, a quoted string when the characters can be quoted, otherwise a
 * literal of the UTF-8 octets. Values are never put into exception messages.
 */
public final class ImapStrings {

    private ImapStrings() {
    }

    /** An astring (RFC 9051 section 9), as LOGIN's user name and password are. */
    public static ImapString astring(String value, StringSyntax syntax) {
        if (isAstringAtom(value)) {
            return new ImapString.Atom(value);
        }
        return string(value, syntax);
    }

    /** A string (RFC 9051 section 9): quoted or literal, never an atom. */
    public static ImapString string(String value, StringSyntax syntax) {
        boolean quotable = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                // CHAR8 in a literal is %x01-ff (RFC 9051 section 9): NUL has no encoding at all.
                throw new IllegalArgumentException("an IMAP string cannot contain NUL");
            }
            if (c == '\r' || c == '\n' || (c > 0x7F && !syntax.utf8Quoted())) {
                quotable = false;
            }
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException("an IMAP string must be valid Unicode (unpaired surrogate)");
        }
        if (quotable) {
            return new ImapString.Quoted(value);
        }
        byte[] octets = value.getBytes(StandardCharsets.UTF_8);
        return new ImapString.Literal(octets, !syntax.literals().nonSynchronizing(octets.length));
    }

    /** True when {@code value} is 1*ASTRING-CHAR: ATOM-CHARs and "]" (RFC 9051 section 9). */
    public static boolean isAstringAtom(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAtomChar(c) && c != ']') {
                return false;
            }
        }
        return true;
    }

    /** ATOM-CHAR: any 7-bit CHAR except atom-specials "(" ")" "{" SP CTL "%" "*" '"' "\" "]". */
    static boolean isAtomChar(char c) {
        if (c <= 0x1F || c >= 0x7F) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', ' ', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }
}
