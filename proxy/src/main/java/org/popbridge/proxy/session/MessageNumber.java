package org.popbridge.proxy.session;

import java.util.Optional;
import org.popbridge.proxy.maildrop.Maildrop;
import org.popbridge.proxy.maildrop.MaildropEntry;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * A message-number argument checked against the session's maildrop: RFC 1939 section 5 says a
 * message marked deleted may not be referred to, and the client's numbers are the proxy's own.
 */
final class MessageNumber {

    private MessageNumber() {}

    /** The message, or empty after answering -ERR to the client. */
    static Optional<MaildropEntry> resolve(String argument, Maildrop maildrop, SessionContext session) {
        int number = parse(argument);
        if (maildrop.isDeleted(number)) {
            session.reply(StatusLine.err("message " + number + " already deleted"));
            return Optional.empty();
        }
        Optional<MaildropEntry> entry = maildrop.message(number);
        if (entry.isEmpty()) {
            session.reply(StatusLine.err("no such message"));
        }
        return entry;
    }

    /** The number as given; 0 (which names no message) if it does not fit an int. */
    static int parse(String argument) {
        try {
            return Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
