package org.popbridge.proxy.pop3.session;

import java.util.List;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * RETR and TOP (RFC 1939 sections 5 and 7) of a numbered maildrop: the message is asked of the
 * mailbox by its upstream identity; with filters on, the reply goes through the chain.
 */
final class RetrieveHandler implements CommandHandler {

    private final boolean top;

    RetrieveHandler(boolean top) {
        this.top = top;
    }

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.numberedMaildrop().maildrop();
        List<String> arguments = command.arguments();
        MaildropEntry entry = MessageNumber.resolve(arguments.get(0), maildrop, session).orElse(null);
        if (entry == null) {
            return;
        }
        int number = MessageNumber.parse(arguments.get(0));
        MaildropContext numbered = session.numberedMaildrop();
        ReplyHandler reply = numbered.filtering() == null ? RelayedHandler.counting(verb, session)
                : new FilteredRetrieval(session, numbered, number, top);
        if (top) {
            numbered.mailbox().top(entry, arguments.get(1), reply);
        } else {
            numbered.mailbox().retrieve(entry, reply);
        }
    }
}
