package org.popbridge.proxy.upstream.imap.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A string argument of a command in one of its three wire forms (RFC 9051 section 4.3).
 * {@code toString()} never shows the value: strings carry passwords.
 */
public sealed interface ImapString permits ImapString.Atom, ImapString.Quoted, ImapString.Literal {

    /** The octets sent for this argument; for a literal, the announcement with its CRLF and then the octets. */
    byte[] wire();

    /** An astring made only of ASTRING-CHARs, sent as it is. */
    record Atom(String text) implements ImapString {
        @Override
        public byte[] wire() {
            return text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "Atom[" + text.length() + " chars]";
        }
    }

    /** A quoted string; {@code value} is unescaped, the wire form adds quotes and escapes '"' and '\'. */
    record Quoted(String value) implements ImapString {
        @Override
        public byte[] wire() {
            StringBuilder quoted = new StringBuilder(value.length() + 8).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    quoted.append('\\');
                }
                quoted.append(c);
            }
            return quoted.append('"').toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Quoted[" + value.length() + " chars]";
        }
    }

    /**
     * A literal: "{n}" CRLF (synchronizing: the sender waits for a continuation request
     * before the octets) or "{n+}" CRLF (RFC 7888), then the n octets.
     */
    record Literal(byte[] octets, boolean synchronizing) implements ImapString {
        public Literal {
            octets = octets.clone();
        }

        @Override
        public byte[] octets() {
            return octets.clone();
        }

        /** "{n}" or "{n+}", without CRLF. */
        public String announcement() {
            return "{" + octets.length + (synchronizing ? "}" : "+}");
        }

        @Override
        public byte[] wire() {
            byte[] head = (announcement() + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(head, head.length + octets.length);
            System.arraycopy(octets, 0, all, head.length, octets.length);
            return all;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Literal literal && literal.synchronizing == synchronizing
                    && Arrays.equals(literal.octets, octets);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(octets) + Boolean.hashCode(synchronizing);
        }

        @Override
        public String toString() {
            return "Literal" + announcement();
        }
    }
}
