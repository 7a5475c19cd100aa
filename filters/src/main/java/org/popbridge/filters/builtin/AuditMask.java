package org.popbridge.filters.builtin;

import java.util.List;
import java.util.regex.Pattern;
import org.popbridge.filters.SessionCommand;

/**
 * Masks a command's secrets again, by keyword, before it is logged. Commands should arrive
 * masked already; this is defence in depth, so that a slip elsewhere cannot put a password,
 * an APOP digest or AUTH data into the audit log (invariant 6). The keyword is matched as a
 * prefix, whatever follows it: a keyword that came unsplit ("PASS" TAB "secret", "PASS:secret")
 * is masked as if it had been split.
 */
final class AuditMask {

    /** What a secret is replaced by. */
    static final String MASK = "****";

    /** Keywords whose arguments are, or may be, secrets. */
    private static final List<String> SECRET_BEARING = List.of("PASS", "APOP", "AUTH");

    /** RFC 4422 section 3.1: a mechanism name, in one case; base64 mixes cases. */
    private static final Pattern SASL_MECHANISM = Pattern.compile("[A-Z0-9_-]{1,20}|[a-z0-9_-]{1,20}");

    private AuditMask() {}

    /** The command as it is logged: keyword and arguments, secrets masked. */
    static String command(SessionCommand command) {
        String keyword = command.keyword() == null ? "" : command.keyword();
        String arguments = command.arguments() == null ? "" : command.arguments().strip();
        String line = arguments.isEmpty() ? keyword : keyword + " " + arguments;
        int start = skipSeparators(line, 0);
        for (String secretBearing : SECRET_BEARING) {
            if (line.regionMatches(true, start, secretBearing, 0, secretBearing.length())) {
                // The keyword as the client wrote it, without whatever it was glued to.
                int end = start + secretBearing.length();
                String masked = mask(secretBearing, line, end);
                return new SessionCommand(line.substring(start, end), masked, command.user()).toString();
            }
        }
        return new SessionCommand(keyword, arguments, command.user()).toString();
    }

    private static String mask(String keyword, String line, int end) {
        if (end < line.length() && !isSeparator(line.charAt(end))) {
            // "PASSsecret": no separator, and everything after the keyword may be secret.
            return MASK;
        }
        int first = skipSeparators(line, end);
        if (first == line.length()) {
            return "";
        }
        if (keyword.equals("PASS")) {
            // RFC 1939 section 7: the whole argument is the password.
            return MASK;
        }
        int firstEnd = first;
        while (firstEnd < line.length() && !isSeparator(line.charAt(firstEnd))) {
            firstEnd++;
        }
        String word = line.substring(first, firstEnd);
        boolean more = skipSeparators(line, firstEnd) < line.length();
        if (keyword.equals("APOP")) {
            // RFC 1939 section 7: "APOP name digest"; a lone word may be the digest, so it goes too.
            return more ? word + " " + MASK : MASK;
        }
        // RFC 5034 section 4: "AUTH mechanism [initial-response]"; the mechanism alone is no secret.
        if (!word.equals(MASK) && !SASL_MECHANISM.matcher(word).matches()) {
            return MASK;
        }
        return more ? word + " " + MASK : word;
    }

    private static int skipSeparators(String line, int from) {
        int i = from;
        while (i < line.length() && isSeparator(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Any white space or space (TAB, VT, FF, NBSP), any control character, and ':'. */
    private static boolean isSeparator(char c) {
        return c <= ' ' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
    }
}
