package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;

/** NOOP (RFC 1939 section 5): relayed, with or without filters, so the upstream session is kept alive too. */
final class NoopCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        if (session.backend() == null) {
            session.forward(command, verb, session.relay());
        } else {
            session.backend().noop(session.relay());
        }
    }
}
