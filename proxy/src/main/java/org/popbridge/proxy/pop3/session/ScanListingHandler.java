package org.popbridge.proxy.pop3.session;

import java.util.List;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * LIST and UIDL (RFC 1939 sections 5 and 7), answered from the maildrop the session numbered
 * at login, with the sizes the client will receive.
 */
final class ScanListingHandler implements CommandHandler {

    private final Maildrop.Column column;

    ScanListingHandler(Maildrop.Column column) {
        this.column = column;
    }

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.numberedMaildrop().maildrop();
        if (column == Maildrop.Column.UID && !maildrop.uidsKnown()) {
            session.reply(StatusLine.err("UIDL is not supported by the mail server"));
            return;
        }
        List<String> arguments = command.arguments();
        if (arguments.isEmpty()) {
            Maildrop.Stat stat = maildrop.stat();
            session.replyMultiline(StatusLine.ok(stat.messages() + " messages (" + stat.octets() + " octets)"),
                    maildrop.listing(column));
            return;
        }
        MessageNumber.resolve(arguments.get(0), maildrop, session).ifPresent(entry ->
                session.reply(StatusLine.ok(maildrop.line(MessageNumber.parse(arguments.get(0)), column))));
    }
}
