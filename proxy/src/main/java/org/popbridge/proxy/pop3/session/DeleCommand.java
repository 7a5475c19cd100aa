package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * DELE (RFC 1939 section 5): relayed, or with filters on asked of the maildrop's backend.
 * Either way the message is only marked; it is deleted at QUIT, never before.
 */
final class DeleCommand implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.maildrop();
        ReplyHandler relay = session.relay();
        if (maildrop == null) {
            session.forward(command, verb, status -> {
                relay.onStatus(status);
                if (status.isOk()) {
                    session.metrics().marked();
                }
            });
            return;
        }
        MaildropEntry entry = MessageNumber.resolve(command.arguments().get(0), maildrop, session).orElse(null);
        if (entry == null) {
            return;
        }
        int number = MessageNumber.parse(command.arguments().get(0));
        session.backend().mark(entry, status -> {
            if (status.isOk()) {
                maildrop.markDeleted(number);
                session.metrics().marked();
            }
            relay.onStatus(status);
        });
    }
}
