package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/** STAT (RFC 1939 section 5), answered from the maildrop the session numbered at login. */
final class StatHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop.Stat stat = session.numberedMaildrop().maildrop().stat();
        session.reply(StatusLine.ok(stat.messages() + " " + stat.octets()));
    }
}
