package org.popbridge.proxy.pop3.session;

import java.util.List;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * What a command handler may do to its session: its state, local replies, commands relayed
 * upstream and the end; the login and the numbered maildrop are roles of their own.
 */
interface SessionContext {

    Pop3State state();

    void enter(Pop3State state);

    /** Answers the client locally with one line. */
    void reply(StatusLine status);

    /** Answers the client locally with a multi-line reply. */
    void replyMultiline(StatusLine status, List<String> lines);

    /** Answers -ERR for a command the client should not have sent; counts towards the error limit. */
    void protocolError(String text);

    /** Sends the command upstream as the client sent it; its reply goes to the handler. */
    void forward(Pop3Command command, ReplyHandler handler);

    /** A handler that passes the reply to the client unchanged. */
    ReplyHandler relay();

    /** The login role: TLS and SASL state, who the user is, and what a successful login does. */
    LoginContext login();

    /** What the upstream said it can do. */
    UpstreamCapabilities upstreamCapabilities();

    /** Closes the client and the upstream once the replies written so far are flushed. */
    void closeAfterReplies();

    /** Whether the session is closing or closed: nothing more goes to the client. */
    boolean closing();

    /** The numbered maildrop's role; null when the session is a plain relay (or before login). */
    MaildropContext numberedMaildrop();

    /** The session's event loop, where filter continuations run. */
    java.util.concurrent.Executor executor();

    /** Closes both sides at once, mid-reply: the client must see the message cut, not complete. */
    void abortMidReply(String reason);

    /** What the session did, for its log line and the audit: handlers count retrievals and deletions. */
    SessionMetrics metrics();
}
