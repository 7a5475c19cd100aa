package org.popbridge.proxy.smtp;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One command line (RFC 5321 section 4.1.1): a keyword and the rest of the line. Held as
 * ISO-8859-1 so every octet reaches the upstream as the client sent it (SMTPUTF8 addresses
 * included). {@link #toString()} masks what an AUTH line carries, so a command can be logged.
 */
public record SmtpCommand(String line) implements SmtpInput {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** A command popbridge sends of its own. */
    public static SmtpCommand of(SmtpVerb verb, String argument) {
        return new SmtpCommand(argument == null || argument.isEmpty() ? verb.name() : verb.name() + " " + argument);
    }

    /** The keyword in upper case; keywords are case-insensitive (RFC 5321 section 2.4). */
    public String keyword() {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** Everything after the first space, or the empty string. */
    public String argument() {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }

    public Optional<SmtpVerb> verb() {
        return SmtpVerb.of(keyword());
    }

    /** The line for logs: AUTH keeps only its mechanism, the rest (a SASL response) is "***". */
    public String masked() {
        String stripped = line.strip();
        if (!stripped.regionMatches(true, 0, "AUTH", 0, 4)) {
            return line;
        }
        String[] words = WHITESPACE.split(stripped, 3);
        if (!words[0].equalsIgnoreCase("AUTH")) {
            return "AUTH ***";
        }
        if (words.length == 1) {
            return "AUTH";
        }
        return words.length == 2 ? "AUTH " + words[1] : "AUTH " + words[1] + " ***";
    }

    @Override
    public String toString() {
        return masked();
    }
}
