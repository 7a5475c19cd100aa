package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/** RSET (RFC 1939 section 5): relayed, or asked of the maildrop's backend; once the upstream unmarks, so does the maildrop. */
final class RsetCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        ReplyHandler relay = session.relay();
        ReplyHandler reply = status -> {
            if (status.isOk()) {
                if (maildrop != null) {
                    maildrop.clearDeletions();
                }
                session.metrics().unmarked();
            }
            relay.onStatus(status);
        };
        if (maildrop == null) {
            session.forward(command, verb, reply);
        } else {
            session.backend().reset(reply);
        }
    }
}
