package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/** STAT (RFC 1939 section 5): relayed, or with filters on answered from the maildrop numbered at login. */
final class StatCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        if (maildrop == null) {
            session.forward(command, verb, session.relay());
            return;
        }
        Maildrop.Stat stat = maildrop.stat();
        session.reply(StatusLine.ok(stat.messages() + " " + stat.octets()));
    }
}
