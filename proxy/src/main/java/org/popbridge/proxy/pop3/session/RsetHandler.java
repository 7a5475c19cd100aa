package org.popbridge.proxy.pop3.session;

import java.util.BitSet;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/** RSET (RFC 1939 section 5) of a numbered maildrop: the maildrop unmarks every message, and the mailbox too. */
final class RsetHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        ReplyHandler relay = session.relay();
        Maildrop maildrop = session.numberedMaildrop().maildrop();
        // Cleared at once, so a DELE pipelined behind this RSET keeps its mark when the RSET is answered.
        BitSet marks = maildrop.clearDeletions();
        session.numberedMaildrop().mailbox().reset(status -> {
            if (status.isOk()) {
                session.metrics().unmarked();
            } else {
                maildrop.restoreDeletions(marks);
            }
            relay.onStatus(status);
        });
    }
}
