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
     * Whether the body of the multi-line reply now being read goes to the client untouched: then
     * it is decoded {@link ContentChunk#asSent as sent}, still dot-stuffed, and the encoder writes
     * it as it is instead of unstuffing and stuffing it again. Asked once the status line opened
     * a body, and again before each further stretch of it until the answer is yes: only what
     * nobody in the proxy reads may go as sent, and a reader of the body's start (the filters,
     * which read the header block) may be done with it before the body is.
     */
    default boolean bodyAsSent() {
        return false;
    }

    /**
     * The reply now being read is complete: the next status line answers the next command. Said
     * by the decoder, which may run ahead of whoever handles the replies (a filter deciding).
     */
    default void replyComplete() {
    }
}
