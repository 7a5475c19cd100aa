package org.popbridge.filters.builtin;

import java.util.Optional;
import org.popbridge.filters.rules.MailAddress;

/**
 * The reverse path of an SMTP transaction (RFC 5321 section 4.1.2): the address MAIL FROM
 * names, or the null path {@code <>} of bounces and receipts.
 *
 * @param path the path without angle brackets or source route, as the client wrote it (octets)
 */
record ReversePath(String path) {

    /**
     * The reverse path of a MAIL command's arguments, {@code FROM:<a@b.example> SIZE=100}
     * (RFC 5321 section 4.1.1.2). Lenient as servers are: any case of {@code FROM:}, spaces
     * after the colon, a bare address without brackets. Empty if the arguments do not name a
     * path at all: the server will answer that with a syntax error.
     */
    static Optional<ReversePath> ofMailArguments(String arguments) {
        String text = arguments.stripLeading();
        if (!text.regionMatches(true, 0, "FROM:", 0, 5)) {
            return Optional.empty();
        }
        String rest = text.substring(5).stripLeading();
        if (rest.startsWith("<")) {
            int close = closingBracket(rest);
            return close < 0 ? Optional.empty() : Optional.of(of(rest.substring(1, close)));
        }
        int end = 0;
        while (end < rest.length() && rest.charAt(end) > ' ') {
            end++;
        }
        return end == 0 ? Optional.empty() : Optional.of(of(rest.substring(0, end)));
    }

    /** A path as an SMTP envelope holds it, without angle brackets; the empty string is the null path. */
    static ReversePath of(String path) {
        String spec = path.strip();
        int colon = spec.indexOf(':');
        if (spec.startsWith("@") && colon > 0 && colon < spec.length() - 1) {
            // An obsolete source route, @relay.example:a@b.example: the address follows the colon.
            spec = spec.substring(colon + 1);
        }
        return new ReversePath(spec);
    }

    /** Whether this is the null path {@code <>}, which names no sender to check. */
    boolean isNull() {
        return path.isEmpty();
    }

    /** The address, if the path is one ({@code local@domain}); a bare {@code postmaster} is not. */
    Optional<MailAddress> address() {
        return MailAddress.parse(path);
    }

    /** The address as a reason shows it: in lower case if it is one, else the path as written. */
    String shown() {
        return address().map(MailAddress::toString).orElse(path);
    }

    /** The index of the {@code >} that closes the path opened at 0, skipping quoted local parts. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
