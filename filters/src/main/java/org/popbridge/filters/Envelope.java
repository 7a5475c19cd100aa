package org.popbridge.filters;

import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of a message being sent (RFC 5321 section 2.3.1).
 *
 * @param sender the reverse path of MAIL FROM without its angle brackets; empty for the null path {@code <>}
 * @param recipients the forward paths of the RCPT TO commands the server accepted, in order
 */
public record Envelope(String sender, List<String> recipients) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
    }

    /** Whether the reverse path is the null path {@code <>}, as bounces and receipts use. */
    public boolean nullSender() {
        return sender.isEmpty();
    }
}
