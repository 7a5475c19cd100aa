package org.popbridge.proxy.smtp.session;

import java.util.ArrayList;
import java.util.List;
import org.popbridge.filters.Envelope;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * The envelope of the mail transaction in progress (RFC 5321 section 3.3), as the server accepted
 * it: the reverse path of the MAIL it said 250 to, the forward paths of each RCPT it said 250 to.
 * It is what the outgoing filters and the audit log are told about the message.
 */
final class MailTransaction {

    private String sender;
    private long declaredSize = -1;
    private final List<String> recipients = new ArrayList<>();

    /** The server answered MAIL FROM. */
    void mailAnswered(SmtpCommand mail, SmtpReply reply) {
        if (reply.isPositive()) {
            String path = MailParameters.path(mail.argument(), "FROM:");
            sender = path == null ? "" : path;
            long size = MailParameters.size(mail.argument());
            declaredSize = size > 0 ? size : -1;
            recipients.clear();
        }
    }

    /** The server answered RCPT TO. */
    void rcptAnswered(SmtpCommand rcpt, SmtpReply reply) {
        String path = MailParameters.path(rcpt.argument(), "TO:");
        if (reply.isPositive() && sender != null && path != null) {
            recipients.add(path);
        }
    }

    /** Whether a message may go: the server took the sender and at least one recipient. */
    boolean hasRecipients() {
        return sender != null && !recipients.isEmpty();
    }

    /** The SIZE the client declared, or -1. */
    long declaredSize() {
        return declaredSize;
    }

    Envelope envelope() {
        return new Envelope(sender == null ? "" : sender, recipients);
    }

    /** The transaction is over: a message was answered, or RSET, EHLO or HELO cleared it. */
    void clear() {
        sender = null;
        declaredSize = -1;
        recipients.clear();
    }
}
