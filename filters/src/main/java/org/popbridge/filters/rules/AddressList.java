package org.popbridge.filters.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the addresses out of an address header such as From or Return-Path (RFC 5322 section
 * 3.4, RFC 5321 section 4.1.2): display names, quoted strings, comments, angle brackets, groups
 * and the obsolete source routes, leniently enough for real mail. The null return path
 * {@code <>} and group names hold no address.
 */
public final class AddressList {

    private AddressList() {}

    /** The addresses in a header value, in order; empty if it holds none. */
    public static List<MailAddress> parse(String value) {
        String text = withoutComments(value);
        List<MailAddress> addresses = new ArrayList<>();
        StringBuilder mailbox = new StringBuilder();
        boolean quoted = false;
        boolean literal = false;
        int angle = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                mailbox.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    mailbox.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (literal) {
                // A domain literal such as [IPv6:::1] holds colons that must not start a group.
                mailbox.append(c);
                literal = c != ']';
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    mailbox.append(c);
                }
                case '[' -> {
                    literal = true;
                    mailbox.append(c);
                }
                case '<' -> {
                    angle++;
                    mailbox.append(c);
                }
                case '>' -> {
                    angle = Math.max(0, angle - 1);
                    mailbox.append(c);
                }
                // Outside angle brackets a colon ends a group's display name: drop the name.
                case ':' -> {
                    if (angle == 0) {
                        mailbox.setLength(0);
                    } else {
                        mailbox.append(c);
                    }
                }
                // Commas separate mailboxes and a semicolon ends a group, except inside a route.
                case ',', ';' -> {
                    if (angle == 0) {
                        mailbox(mailbox.toString()).ifPresent(addresses::add);
                        mailbox.setLength(0);
                    } else {
                        mailbox.append(c);
                    }
                }
                default -> mailbox.append(c);
            }
        }
        mailbox(mailbox.toString()).ifPresent(addresses::add);
        return List.copyOf(addresses);
    }

    /** One mailbox: {@code Name <addr-spec>} or a bare addr-spec; a bare name holds no address. */
    private static Optional<MailAddress> mailbox(String text) {
        String mailbox = text.trim();
        int open = indexOutsideQuotes(mailbox, '<');
        if (open >= 0) {
            int close = mailbox.indexOf('>', open);
            String spec = mailbox.substring(open + 1, close < 0 ? mailbox.length() : close).trim();
            if (spec.startsWith("@")) {
                // An obsolete source route, <@relay.example:a@b.example>: the address follows the colon.
                spec = spec.substring(spec.indexOf(':') + 1);
            }
            return MailAddress.parse(spec);
        }
        // Without angle brackets only the word holding the @ is the address; any other words
        // are a display name some mailer forgot to bracket.
        String spec = null;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= mailbox.length(); i++) {
            char c = i < mailbox.length() ? mailbox.charAt(i) : ' ';
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ' ' || c == '\t')) {
                String word = mailbox.substring(start, i);
                if (word.indexOf('@') >= 0) {
                    spec = word;
                }
                start = i + 1;
            }
        }
        return spec == null ? Optional.empty() : MailAddress.parse(spec);
    }

    /** The value with every comment, nested ones included, replaced by a space (RFC 5322 section 3.2.2). */
    private static String withoutComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                    if (depth == 0) {
                        out.append(' ');
                    }
                }
                continue;
            }
            if (quoted) {
                out.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    out.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '(') {
                depth = 1;
            } else {
                quoted = c == '"';
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOutsideQuotes(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
