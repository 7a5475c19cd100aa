package org.popbridge.proxy.pop3.session;

import java.util.Optional;
import java.util.function.Consumer;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * A message-number argument checked against the session's maildrop: RFC 1939 section 5 says a
 * message marked deleted may not be referred to, and the client's numbers are the proxy's own.
 */
public final class MessageNumber {

    private MessageNumber() {}

    /** The message, or empty after answering -ERR to the client. */
    static Optional<MaildropEntry> resolve(String argument, Maildrop maildrop, SessionContext session) {
        return resolve(argument, maildrop, text -> session.reply(StatusLine.err(text)));
    }

    /** The message, or empty after handing the -ERR text to {@code refusal}. */
    public static Optional<MaildropEntry> resolve(String argument, Maildrop maildrop, Consumer<String> refusal) {
        int number = parse(argument);
        if (maildrop.isDeleted(number)) {
            refusal.accept("message " + number + " already deleted");
            return Optional.empty();
        }
        Optional<MaildropEntry> entry = maildrop.message(number);
        if (entry.isEmpty()) {
            refusal.accept("no such message");
        }
        return entry;
    }

    /** The number as given; 0 (which names no message) if it does not fit an int. */
    public static int parse(String argument) {
        try {
            return Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
