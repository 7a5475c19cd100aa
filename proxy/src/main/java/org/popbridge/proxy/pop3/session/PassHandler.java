package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/** PASS secret (RFC 1939 section 7): relayed; +OK moves the session to TRANSACTION. */
final class PassHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (!session.login().plaintextAuthAllowed()) {
            PlaintextRefusal.refuseLogin(session);
            return;
        }
        if (!session.login().passExpected()) {
            // RFC 1939 section 7: PASS only right after a successful USER; the server never sees a stray one.
            session.protocolError("Send USER first");
            return;
        }
        session.forward(command, new LoginReply(session));
    }
}
