package org.popbridge.proxy.pop3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.popbridge.proxy.core.session.CommandMask;

/**
 * One client line (RFC 1939 section 3): a keyword and its arguments. The text is held as
 * ISO-8859-1 so that every octet survives the trip to the upstream unchanged.
 *
 * <p>{@link #toString()} masks the arguments of commands that carry credentials, so a
 * command can be logged without leaking a secret; a session masks more, knowing the lines
 * before ({@link org.popbridge.proxy.core.session.SessionMask}).
 */
public final class Pop3Command implements ClientInput {

    /** How POP3 lines are shown in logs and to session filters, secrets masked (invariant 6). */
    public static final CommandMask MASK = new CommandMask(
            Arrays.stream(Pop3Verb.values()).map(Pop3Verb::name).collect(Collectors.toUnmodifiableSet()));

    private final String line;
    private final String keyword;
    /** Empty for a keyword popbridge does not know. */
    private final Optional<Pop3Verb> verb;
    /** Split at the first call: the checks and the handler each ask for them. */
    private List<String> arguments;

    /**
     * The line as read. The keyword and its verb are taken once here, as every command is asked
     * for them several times on its way (checks, the pending queue, the handler).
     */
    public Pop3Command(String line) {
        this.line = line;
        this.keyword = keywordOf(line);
        this.verb = Pop3Verb.of(keyword);
    }

    /** The line as the client sent it, without its CRLF. */
    public String line() {
        return line;
    }

    /** The keyword in upper case, as RFC 1939 says keywords are case-insensitive. */
    public String keyword() {
        return keyword;
    }

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
        return verb;
    }

    private static String keywordOf(String line) {
        int space = line.indexOf(' ');
        String keyword = space < 0 ? line : line.substring(0, space);
        return keyword.toUpperCase(Locale.ROOT);
    }

    /** Everything after the first space, or the empty string. */
    public String argument() {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1);
    }

    /** The arguments, separated by one or more spaces; empty when there are none. */
    public List<String> arguments() {
        List<String> split = arguments;
        if (split == null) {
            split = split(argument().strip());
            arguments = split;
        }
        return split;
    }

    private static List<String> split(String argument) {
        if (argument.isEmpty()) {
            return List.of();
        }
        List<String> arguments = new ArrayList<>(2);
        int start = 0;
        while (start < argument.length()) {
            int space = argument.indexOf(' ', start);
            int end = space < 0 ? argument.length() : space;
            if (end > start) {
                arguments.add(argument.substring(start, end));
            }
            start = end + 1;
        }
        return List.copyOf(arguments);
    }

    /** The line with secrets replaced by "****", for logs: see {@link CommandMask}. */
    public String masked() {
        return MASK.command(line).toString();
    }

    /** Two commands are equal when their lines are: the rest is read from the line. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Pop3Command command && command.line.equals(line);
    }

    @Override
    public int hashCode() {
        return line.hashCode();
    }

    @Override
    public String toString() {
        return masked();
    }
}
