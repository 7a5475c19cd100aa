package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/** NOOP (RFC 1939 section 5) of a numbered maildrop: asked of the mailbox, so the upstream session is kept alive too. */
final class NoopHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        session.numberedMaildrop().mailbox().noop(session.relay());
    }
}
