package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * DELE (RFC 1939 section 5) of a numbered maildrop: the mailbox marks the message, then the
 * maildrop does. It is only marked; it is deleted at QUIT, never before.
 */
final class DeleHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        MaildropEntry entry = MessageNumber.resolve(command.arguments().get(0), maildrop, session).orElse(null);
        if (entry == null) {
            return;
        }
        int number = MessageNumber.parse(command.arguments().get(0));
        ReplyHandler relay = session.relay();
        session.mailbox().mark(entry, status -> {
            if (status.isOk()) {
                maildrop.markDeleted(number);
                session.metrics().marked();
            }
            relay.onStatus(status);
        });
    }
}
