package org.popbridge.filters.builtin;

import java.util.Locale;
import org.popbridge.filters.SessionCommand;

/**
 * Masks a command's secrets again, by keyword, before it is logged. Commands should arrive
 * masked already; this is defence in depth, so that a slip elsewhere cannot put a password,
 * an APOP digest or AUTH data into the audit log (invariant 6).
 */
final class AuditMask {

    /** What a secret is replaced by. */
    static final String MASK = "****";

    private AuditMask() {}

    /** The command as it is logged: keyword and arguments, secrets masked. */
    static String command(SessionCommand command) {
        String keyword = command.keyword() == null ? "" : command.keyword();
        String arguments = command.arguments() == null ? "" : command.arguments().strip();
        String masked = switch (keyword.strip().toUpperCase(Locale.ROOT)) {
            // RFC 1939 section 7: the whole argument is the password.
            case "PASS" -> arguments.isEmpty() ? "" : MASK;
            // RFC 1939 section 7: "APOP name digest"; a lone word may be the digest, so it goes too.
            case "APOP" -> firstWordThenMask(arguments, false);
            // RFC 5034 section 4: "AUTH mechanism [initial-response]"; the mechanism alone is no secret.
            case "AUTH" -> firstWordThenMask(arguments, true);
            default -> arguments;
        };
        return new SessionCommand(keyword, masked, command.user()).toString();
    }

    private static String firstWordThenMask(String arguments, boolean loneWordIsPublic) {
        if (arguments.isEmpty()) {
            return "";
        }
        String[] words = arguments.split("\\s+", 2);
        if (words.length == 1) {
            return loneWordIsPublic ? words[0] : MASK;
        }
        return words[0] + " " + MASK;
    }
}
