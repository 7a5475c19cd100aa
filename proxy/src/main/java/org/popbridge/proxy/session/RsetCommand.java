package org.popbridge.proxy.session;

import org.popbridge.proxy.maildrop.Maildrop;
import org.popbridge.proxy.pop3.Pop3Command;

/** RSET (RFC 1939 section 5): relayed; once the upstream unmarks its messages, so does the maildrop. */
final class RsetCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        ReplyHandler relay = session.relay();
        session.forward(command, verb, status -> {
            if (status.isOk()) {
                if (maildrop != null) {
                    maildrop.clearDeletions();
                }
                session.metrics().unmarked();
            }
            relay.onStatus(status);
        });
    }
}
