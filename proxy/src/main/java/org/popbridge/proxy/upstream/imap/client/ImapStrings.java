package org.popbridge.proxy.upstream.imap.client;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Chooses the wire form of a string argument (RFC 9051 section 4.3): an atom when every
 * character allows it, a quoted string when the characters can be quoted, otherwise a
 * literal of the octets. Text goes as its UTF-8 octets; octets a client sent (a login name,
 * a password) go as they are, never encoded again. Values are never put into exception messages.
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

    /**
     * An astring of the octets a client sent, such as a login name or password: these octets
     * reach the server exactly, as an atom, a quoted string or a literal.
     */
    public static ImapString astring(byte[] octets, StringSyntax syntax) {
        // One char per octet: ASTRING-CHARs are all 7-bit, so an 8-bit octet is never an atom.
        String chars = new String(octets, StandardCharsets.ISO_8859_1);
        if (isAstringAtom(chars)) {
            return new ImapString.Atom(chars);
        }
        return string(octets, syntax);
    }

    /** A string (RFC 9051 section 9) of text, as its UTF-8 octets: quoted or literal, never an atom. */
    public static ImapString string(String value, StringSyntax syntax) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException("an IMAP string must be valid Unicode (unpaired surrogate)");
        }
        return string(value.getBytes(StandardCharsets.UTF_8), syntax);
    }

    /**
     * A string of octets: quoted when every octet may be (7-bit TEXT-CHARs; 8-bit only as valid
     * UTF-8 after ENABLE UTF8=ACCEPT, RFC 6855 section 3), else a literal of the same octets.
     */
    public static ImapString string(byte[] octets, StringSyntax syntax) {
        boolean quotable = true;
        boolean sevenBit = true;
        for (byte octet : octets) {
            if (octet == 0) {
                // CHAR8 in a literal is %x01-ff (RFC 9051 section 9): NUL has no encoding at all.
                throw new IllegalArgumentException("an IMAP string cannot contain NUL");
            }
            if (octet == '\r' || octet == '\n') {
                quotable = false;
            }
            if (octet < 0) {
                sevenBit = false;
            }
        }
        if (quotable && (sevenBit || syntax.utf8Quoted() && isUtf8(octets))) {
            // Valid UTF-8 decodes and encodes back to the same octets.
            return new ImapString.Quoted(new String(octets, StandardCharsets.UTF_8));
        }
        return new ImapString.Literal(octets, !syntax.literals().nonSynchronizing(octets.length));
    }

    private static boolean isUtf8(byte[] octets) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
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
