package org.popbridge.proxy.session;

import org.popbridge.proxy.pop3.Pop3Command;

/** Transaction commands (STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL): relayed as they are. */
enum ForwardCommand implements CommandHandler {
    INSTANCE;

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        session.forward(command, verb, session.relay());
    }
}
