package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * DELE (RFC 1939 section 5) of a numbered maildrop: the maildrop marks the message, and the
 * mailbox too; if the mailbox refuses, the mark is taken back. It is only marked; it is deleted at QUIT, never before.
 */
final class DeleHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        Maildrop maildrop = session.numberedMaildrop().maildrop();
        MaildropEntry entry = MessageNumber.resolve(command.arguments().get(0), maildrop, session).orElse(null);
        if (entry == null) {
            return;
        }
        int number = MessageNumber.parse(command.arguments().get(0));
        ReplyHandler relay = session.relay();
        // Marked at once, so a DELE of the same message pipelined behind this one is refused.
        maildrop.markDeleted(number);
        session.numberedMaildrop().mailbox().mark(entry, status -> {
            if (status.isOk()) {
                session.metrics().marked();
            } else {
                maildrop.unmarkDeleted(number);
            }
            relay.onStatus(status);
        });
    }
}
