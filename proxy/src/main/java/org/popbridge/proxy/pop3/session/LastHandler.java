package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;

/** LAST (RFC 1725, dropped by RFC 1939): relayed if the upstream knows it, else a clean -ERR. */
final class LastHandler implements CommandHandler {

    @Override
    public void handle(Pop3Verb verb, Pop3Command command, SessionContext session) {
        ReplyHandler relay = session.relay();
        session.forward(command, status -> relay.onStatus(
                status.isOk() ? inClientNumbers(status, session) : StatusLine.err("LAST is not supported by the mail server")));
    }

    /** With filters on, the upstream's number is turned into the client's. */
    private static StatusLine inClientNumbers(StatusLine status, SessionContext session) {
        MaildropContext numbered = session.numberedMaildrop();
        String[] words = status.text().strip().split(" +", 2);
        if (numbered == null || !words[0].matches("[0-9]{1,9}")) {
            return status;
        }
        return StatusLine.ok(Integer.toString(numbered.maildrop().clientNumberAtOrBelow(Integer.parseInt(words[0]))));
    }
}
