package org.popbridge.proxy.core.session;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a protocol's command lines are shown in logs and to session filters: the one place that
 * knows which commands carry secrets (invariant 6). PASS (RFC 1939 section 7) is masked after its
 * keyword, APOP (section 7) after the name, AUTH (RFC 5034, RFC 4954) after the mechanism,
 * whatever separates them (space, TAB, VT, FF, NBSP, ':' or no separator at all: a malformed line
 * is logged too). A line whose keyword is not a command is shown as its keyword only if that
 * looks like a command word (letters only, at most 16), else only by its length, so that a
 * password sent on a line by itself does not show unless it is letters only. Lines that may be
 * SASL responses are the {@link SessionMask}'s to mask.
 */
public final class CommandMask {

    /** What a secret is replaced by, as in the audit log. */
    public static final String MASK = "****";

    private static final String PASS = "PASS";
    private static final String APOP = "APOP";
    private static final String AUTH = "AUTH";
    /** The keywords whose arguments are, or may be, secrets, masked whatever the protocol: a confused client may send PASS to SMTP. */
    private static final List<String> SECRET_BEARING = List.of(PASS, APOP, AUTH);
    /** Their first letters, case folded ("pa"). */
    private static final String SECRET_FIRST_LETTERS = SECRET_BEARING.stream()
            .map(keyword -> String.valueOf(foldCase(keyword.charAt(0)))).distinct().reduce("", String::concat);

    /** Letters only, and not long: what an unknown command may look like; base64 and passwords mostly do not. */
    private static final Pattern COMMAND_WORD = Pattern.compile("[A-Z]{1,16}");

    /**
     * RFC 4422 section 3.1: mechanism names are letters, digits, '-' and '_', at most 20; clients
     * write them in one case. Base64 mixes cases, so a mixed-case word is taken for a secret.
     */
    private static final Pattern SASL_MECHANISM = Pattern.compile("[A-Z0-9_-]{1,20}|[a-z0-9_-]{1,20}");

    private final Set<String> keywords;

    /** @param keywords the protocol's command keywords, in upper case */
    public CommandMask(Set<String> keywords) {
        this.keywords = Set.copyOf(keywords);
    }

    /** Whether the keyword (upper case) is one of the protocol's commands. */
    public boolean isCommand(String keyword) {
        return keywords.contains(keyword);
    }

    /** The line, read as a command, with its secrets masked. */
    public MaskedLine command(String line) {
        int start = skipSeparators(line, 0);
        if (start < line.length() && startsLikeSecretBearing(line.charAt(start))) {
            for (String secretBearing : SECRET_BEARING) {
                if (line.regionMatches(true, start, secretBearing, 0, secretBearing.length())) {
                    return secretBearing(secretBearing, line, start + secretBearing.length());
                }
            }
        }
        // The keyword as the sessions read it: up to the first space (RFC 1939 section 3, RFC 5321 section 4.1.1).
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        if (keywords.contains(keyword)) {
            return new MaskedLine(keyword, space < 0 ? "" : line.substring(space + 1).strip());
        }
        // Arguments of a command popbridge does not know could be anything; the keyword alone is enough to debug.
        if (COMMAND_WORD.matcher(keyword).matches()) {
            return new MaskedLine(keyword, "");
        }
        return unrecognised(line);
    }

    /**
     * Whether a keyword starting with this character may be one of SECRET_BEARING, in any case:
     * most commands are not, and are spared three case-blind comparisons. Folded as
     * String.regionMatches folds case, so no character it would match is missed.
     */
    private static boolean startsLikeSecretBearing(char first) {
        return SECRET_FIRST_LETTERS.indexOf(foldCase(first)) >= 0;
    }

    private static char foldCase(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Whether the line shown is an AUTH naming a mechanism: a SASL exchange may follow. */
    static boolean opensSasl(MaskedLine shown) {
        return shown.keyword().equals(AUTH) && !shown.arguments().isEmpty();
    }

    /** A line that is not shown at all, only counted. */
    private static MaskedLine unrecognised(String line) {
        return new MaskedLine("<unrecognised line of " + line.length() + " octets>", "");
    }

    private static MaskedLine secretBearing(String keyword, String line, int end) {
        if (end < line.length() && !isSeparator(line.charAt(end))) {
            // "PASSsecret", "AUTHENTICATE ...": malformed, and everything after the keyword may be secret.
            return new MaskedLine(keyword, MASK);
        }
        int first = skipSeparators(line, end);
        if (first == line.length()) {
            return new MaskedLine(keyword, "");
        }
        if (keyword.equals(PASS)) {
            // RFC 1939 section 7: everything after PASS is the password, spaces included.
            return new MaskedLine(keyword, MASK);
        }
        int firstEnd = first;
        while (firstEnd < line.length() && !isSeparator(line.charAt(firstEnd))) {
            firstEnd++;
        }
        String word = line.substring(first, firstEnd);
        boolean more = skipSeparators(line, firstEnd) < line.length();
        if (keyword.equals(APOP)) {
            // "APOP name digest"; a lone word may be the digest, so it is masked too.
            return new MaskedLine(keyword, more ? word + " " + MASK : MASK);
        }
        // "AUTH mechanism [initial-response]"; a first word that is no mechanism is the response.
        if (!SASL_MECHANISM.matcher(word).matches()) {
            return new MaskedLine(keyword, MASK);
        }
        return new MaskedLine(keyword, more ? word + " " + MASK : word);
    }

    private static int skipSeparators(String line, int from) {
        int i = from;
        while (i < line.length() && isSeparator(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * What a server might take for the end of a keyword or an argument: any white space or space
     * (TAB, VT, FF, NBSP as octet 0xA0), any control character, and ':'. Counting too many as
     * separators only masks more.
     */
    private static boolean isSeparator(char c) {
        return c <= ' ' || c == ':' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
    }
}
