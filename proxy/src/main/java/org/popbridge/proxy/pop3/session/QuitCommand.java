package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;

/**
 * QUIT (RFC 1939 sections 5 and 6): the only way deletions reach the upstream. In
 * TRANSACTION the upstream enters UPDATE and removes what was marked.
 */
final class QuitCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (session.state() == SessionState.TRANSACTION) {
            session.enter(SessionState.UPDATE);
        }
        ReplyHandler relay = session.relay();
        ReplyHandler reply = status -> {
            relay.onStatus(status);
            if (status.isOk() && session.state() == SessionState.UPDATE) {
                session.metrics().deletionsApplied();
            }
            session.closeAfterReplies();
        };
        if (session.backend() != null && session.state() == SessionState.UPDATE) {
            session.backend().commit(reply);
        } else {
            session.forward(command, verb, reply);
        }
    }
}
