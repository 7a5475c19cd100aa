package org.popbridge.proxy.pop3;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One client line (RFC 1939 section 3): a keyword and its arguments. The text is held as
 * ISO-8859-1 so that every octet survives the trip to the upstream unchanged.
 *
 * <p>{@link #toString()} masks the arguments of commands that carry credentials, so a
 * command can be logged without leaking a secret.
 */
public record Pop3Command(String line) implements ClientInput {

    /** Arguments are separated by one or more spaces; compiled once, as every command is split. */
    private static final Pattern SPACES = Pattern.compile(" +");

    /** Commands whose arguments are secrets, or may be (AUTH initial responses). */
    private static final List<String> SECRET_BEARING = List.of("PASS", "APOP", "AUTH");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * RFC 4422 section 3.1: mechanism names are letters, digits, '-' and '_', at most 20; clients
     * write them in one case. Base64 mixes cases, so a mixed-case word is treated as a secret.
     */
    private static final Pattern SASL_MECHANISM = Pattern.compile("[A-Z0-9_-]{1,20}|[a-z0-9_-]{1,20}");

    /** A command popbridge sends of its own: the verb and its arguments, space-separated. */
    public static Pop3Command of(Pop3Verb verb, Object... arguments) {
        StringBuilder line = new StringBuilder(verb.name());
        for (Object argument : arguments) {
            line.append(' ').append(argument);
        }
        return new Pop3Command(line.toString());
    }

    /** The verb, if popbridge knows the keyword; extensions and garbage have none. */
    public Optional<Pop3Verb> verb() {
        return Pop3Verb.of(keyword());
    }

    /** The keyword in upper case, as RFC 1939 says keywords are case-insensitive. */
    public String keyword() {
        int space = line.indexOf(' ');
        String keyword = space < 0 ? line : line.substring(0, space);
        return keyword.toUpperCase(Locale.ROOT);
    }

    /** Everything after the first space, or the empty string. */
    public String argument() {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }

    /** The arguments split on spaces; empty when there are none. */
    public List<String> arguments() {
        String argument = argument().strip();
        return argument.isEmpty() ? List.of() : List.of(SPACES.split(argument));
    }

    /** Which secret-bearing keyword the line starts with, in any case, or null. */
    private static String secretBearingPrefix(String stripped) {
        for (String keyword : SECRET_BEARING) {
            if (stripped.regionMatches(true, 0, keyword, 0, keyword.length())) {
                return keyword;
            }
        }
        return null;
    }

    /** The line with secrets replaced by "***", for logs. */
    public String masked() {
        // Split on any whitespace and match the keyword as a prefix: malformed lines are logged
        // too ("PASS<TAB>secret", " PASS secret"), and must not leak what they carry.
        String stripped = line.strip();
        String secretBearing = secretBearingPrefix(stripped);
        if (secretBearing == null) {
            // Most commands: no split, no copy. The audit log asks for every one.
            return line;
        }
        String[] words = WHITESPACE.split(stripped, 3);
        String keyword = words[0].toUpperCase(Locale.ROOT);
        if (!keyword.equals(secretBearing) || keyword.equals("PASS")) {
            return secretBearing + " ***";
        }
        // AUTH mechanism [initial-response], APOP name digest: only the first argument is not secret.
        if (words.length == 1) {
            return keyword;
        }
        if (keyword.equals("AUTH") && !looksLikeMechanism(words[1])) {
            // "AUTH <initial response>" without a mechanism: the first word is the secret.
            return keyword + " ***";
        }
        if (keyword.equals("AUTH") && words.length == 2) {
            return keyword + " " + words[1];
        }
        return keyword + " " + words[1] + " ***";
    }

    private static boolean looksLikeMechanism(String word) {
        return SASL_MECHANISM.matcher(word).matches();
    }

    @Override
    public String toString() {
        return masked();
    }
}
