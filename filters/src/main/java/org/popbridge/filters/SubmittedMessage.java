package org.popbridge.filters;

import java.util.Objects;

/**
 * A message an SMTP client sent, and what came of it: the server's reply to its final "."
 * (RFC 5321 section 4.1.1.4), or popbridge's own when it did not pass the message on.
 *
 * @param user the user who logged in
 * @param envelope the envelope sender and the recipients the server accepted
 * @param octets the message's size as the client sent it, dot-stuffing undone
 * @param code the reply code the client got, such as 250 or 550
 * @param reply the text of that reply, enhanced status code first where there is one
 * @param queueId the server's queue id when its reply gives one (Postfix: "queued as 4F2B"), else null
 */
public record SubmittedMessage(String user, Envelope envelope, long octets, int code, String reply, String queueId) {

    public SubmittedMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(reply, "reply");
    }

    /** Whether the server took responsibility for the message (a 2xx reply). */
    public boolean accepted() {
        return code >= 200 && code < 300;
    }
}
