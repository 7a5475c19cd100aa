package org.popbridge.proxy.pop3;

/**
 * POP3 replies do not say whether they are multi-line (RFC 2449 section 6.6): only the
 * command they answer does. The reply decoder asks the session's queue of pending commands.
 */
public interface ReplyFraming {

    /** Whether a reply is awaited at all; a line when none is, is a protocol violation. */
    boolean awaitingReply();

    /** Whether the reply now being read, having this status, is followed by a multi-line body. */
    boolean isMultiline(StatusLine.Status status);

    /**
     * The reply now being read is complete: the next status line answers the next command. Said
     * by the decoder, which may run ahead of whoever handles the replies (a filter deciding).
     */
    default void replyComplete() {
    }
}
