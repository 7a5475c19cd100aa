package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;

/** USER name (RFC 1939 section 7): refused in clear text unless allowed, else relayed. */
final class UserHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (!session.login().plaintextAuthAllowed()) {
            session.protocolError(PlaintextRefusal.TEXT);
            return;
        }
        String user = command.arguments().get(0);
        ReplyHandler relay = session.relay();
        session.forward(command, status -> {
            if (status.status() == StatusLine.Status.OK) {
                session.login().userAccepted(user);
            }
            relay.onStatus(status);
        });
    }
}
