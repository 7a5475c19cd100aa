package org.popbridge.proxy.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;

/** LAST (RFC 1725, dropped by RFC 1939): relayed if the upstream knows it, else a clean -ERR. */
final class LastCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        ReplyHandler relay = session.relay();
        session.forward(command, verb, status -> relay.onStatus(
                status.isOk() ? status : StatusLine.err("LAST is not supported by the mail server")));
    }
}
