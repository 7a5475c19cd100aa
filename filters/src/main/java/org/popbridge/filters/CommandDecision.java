package org.popbridge.filters;

import java.util.Objects;

/** A session filter's answer to a command: let it through, or refuse it with a reason the client sees. */
public record CommandDecision(boolean allowed, String reason) {

    private static final CommandDecision ALLOW = new CommandDecision(true, null);

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

    /** Refused: the client gets {@code -ERR reason}. */
    public static CommandDecision refuse(String reason) {
        return new CommandDecision(false, reason);
    }
}
