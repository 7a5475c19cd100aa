package org.popbridge.filters;

import java.util.Objects;

/**
 * A session filter's answer to a command: let it through, or refuse it with a reason the client
 * sees. A refusal is permanent (SMTP 550 5.7.1) or, for a limit that will pass, temporary
 * (SMTP 450 4.7.1), so the client tries again later; a POP3 client gets -ERR either way.
 */
public record CommandDecision(boolean allowed, String reason, boolean temporary) {

    private static final CommandDecision ALLOW = new CommandDecision(true, null, false);

    public CommandDecision {
        if (!allowed) {
            Objects.requireNonNull(reason, "a refusal needs a reason");
            if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a reason is one line");
            }
        }
    }

    public static CommandDecision allow() {
        return ALLOW;
    }

    /** Refused: the client gets {@code -ERR reason}, or {@code 550 5.7.1 reason}. */
    public static CommandDecision refuse(String reason) {
        return new CommandDecision(false, reason, false);
    }

    /** Refused for now, as by a rate limit: the client gets {@code -ERR reason}, or {@code 450 4.7.1 reason}. */
    public static CommandDecision defer(String reason) {
        return new CommandDecision(false, reason, true);
    }
}
