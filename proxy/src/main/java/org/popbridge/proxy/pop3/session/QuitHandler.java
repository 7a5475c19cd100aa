package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.Pop3Verb;

/**
 * QUIT (RFC 1939 sections 5 and 6): the only way deletions reach the upstream. In
 * TRANSACTION the upstream enters UPDATE and removes what was marked.
 */
final class QuitHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (session.state() == Pop3State.TRANSACTION) {
            session.enter(Pop3State.UPDATE);
        }
        ReplyHandler relay = session.relay();
        ReplyHandler reply = status -> {
            relay.onStatus(status);
            if (status.isOk() && session.state() == Pop3State.UPDATE) {
                session.metrics().deletionsApplied();
            }
            session.closeAfterReplies();
        };
        MaildropContext numbered = session.numberedMaildrop();
        if (numbered != null && session.state() == Pop3State.UPDATE) {
            numbered.mailbox().commit(numbered.maildrop().deleted(), reply);
        } else {
            session.forward(command, reply);
        }
    }
}
