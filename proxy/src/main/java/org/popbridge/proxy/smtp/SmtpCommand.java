package org.popbridge.proxy.smtp;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.popbridge.proxy.core.session.CommandMask;

/**
 * One command line (RFC 5321 section 4.1.1): a keyword and the rest of the line. Held as
 * ISO-8859-1 so every octet reaches the upstream as the client sent it (SMTPUTF8 addresses
 * included). {@link #toString()} masks what an AUTH line carries, so a command can be logged.
 */
public record SmtpCommand(String line) implements SmtpInput {

    /** How SMTP lines are shown in logs and to session filters, secrets masked (invariant 6). */
    public static final CommandMask MASK = new CommandMask(
            Arrays.stream(SmtpVerb.values()).map(SmtpVerb::name).collect(Collectors.toUnmodifiableSet()));

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

    /** The line for logs: AUTH keeps only its mechanism, a SASL response is "****"; see {@link CommandMask}. */
    public String masked() {
        return MASK.command(line).toString();
    }

    @Override
    public String toString() {
        return masked();
    }
}
