package org.popbridge.proxy.pop3;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One client line (RFC 1939 section 3): a keyword and its arguments. The text is held as
 * ISO-8859-1 so that every octet survives the trip to the upstream unchanged.
 *
 * <p>{@link #toString()} masks the arguments of commands that carry credentials, so a
 * command can be logged without leaking a secret.
 */
public record Pop3Command(String line) implements ClientInput {

    /** Commands whose arguments are secrets, or may be (AUTH initial responses). */
    private static final Set<String> SECRET_BEARING = Set.of("PASS", "APOP", "AUTH");

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
        return argument.isEmpty() ? List.of() : List.of(argument.split(" +"));
    }

    /** The line with secrets replaced by "***", for logs. */
    public String masked() {
        String keyword = keyword();
        if (keyword.equals("AUTH")) {
            List<String> arguments = arguments();
            return arguments.isEmpty() ? keyword : keyword + " " + arguments.get(0) + (arguments.size() > 1 ? " ***" : "");
        }
        if (keyword.equals("APOP")) {
            List<String> arguments = arguments();
            return arguments.isEmpty() ? keyword : keyword + " " + arguments.get(0) + " ***";
        }
        return SECRET_BEARING.contains(keyword) ? keyword + " ***" : line;
    }

    @Override
    public String toString() {
        return masked();
    }
}
