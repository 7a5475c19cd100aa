package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/** RSET (RFC 1939 section 5) of a numbered maildrop: once the mailbox unmarks, so does the maildrop. */
final class RsetHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        ReplyHandler relay = session.relay();
        session.mailbox().reset(status -> {
            if (status.isOk()) {
                session.maildrop().clearDeletions();
                session.metrics().unmarked();
            }
            relay.onStatus(status);
        });
    }
}
