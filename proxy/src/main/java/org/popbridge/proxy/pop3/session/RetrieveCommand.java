package org.popbridge.proxy.pop3.session;

import java.util.List;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * RETR and TOP (RFC 1939 sections 5 and 7): relayed, or with filters on asked of the
 * maildrop's backend, the reply going through the chain.
 */
final class RetrieveCommand implements CommandHandler {

    private final boolean top;

    RetrieveCommand(boolean top) {
        this.top = top;
    }

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        if (maildrop == null) {
            ReplyHandler relay = session.relay();
            session.forward(command, verb, top ? relay : new ReplyHandler() {
                @Override
                public void onStatus(org.popbridge.proxy.pop3.StatusLine status) {
                    relay.onStatus(status);
                }

                @Override
                public void onContent(org.popbridge.proxy.pop3.ContentChunk chunk) {
                    relay.onContent(chunk);
                }

                @Override
                public void onEnd() {
                    relay.onEnd();
                    session.metrics().retrieved();
                }
            });
            return;
        }
        List<String> arguments = command.arguments();
        MaildropEntry entry = MessageNumber.resolve(arguments.get(0), maildrop, session).orElse(null);
        if (entry == null) {
            return;
        }
        int number = MessageNumber.parse(arguments.get(0));
        FilteredRetrieval reply = new FilteredRetrieval(session, session.filtering(), maildrop, number, top);
        if (top) {
            session.backend().top(entry, arguments.get(1), reply);
        } else {
            session.backend().retrieve(entry, reply);
        }
    }
}
