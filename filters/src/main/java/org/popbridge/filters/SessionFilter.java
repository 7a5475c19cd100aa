package org.popbridge.filters;

/**
 * A filter for one client session, fresh for each: it sees every command and the status of
 * every reply, for logging and policy. Commands reach it masked: a password, an APOP digest
 * or AUTH data never does. Called on the session's thread, one call at a time; must not block.
 */
public interface SessionFilter {

    /** A command the client sent, before it is handled; refusing it answers -ERR (POP3) or 550/450 (SMTP) and sends nothing upstream. */
    default CommandDecision command(SessionCommand command) {
        return CommandDecision.allow();
    }

    /** The reply the client got to a command: its status and how many body octets followed. */
    default void replied(SessionReply reply) {
    }

    /** A message the client sent (SMTP), with the reply it got for it, accepted or not. */
    default void submitted(SubmittedMessage message) {
    }

    /** The session is over, however it ended. */
    default void ended(SessionSummary summary) {
    }
}
