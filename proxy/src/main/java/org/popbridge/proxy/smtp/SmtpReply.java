package org.popbridge.proxy.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply (RFC 5321 section 4.2): a three-digit code and one or more lines of text; the text
 * of each line, after the code and its separator, keeps any enhanced status code (RFC 3463)
 * as the server wrote it.
 */
public record SmtpReply(int code, List<String> lines) {

    /** How servers name the queue entry of an accepted message: Postfix "queued as 4F2B1C", Exim "id=1qX3-0004". */
    private static final Pattern QUEUE_ID = Pattern.compile("(?i)(?:queued as |\\bid=)([A-Za-z0-9][A-Za-z0-9._-]*)");

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            lines = List.of("");
        }
    }

    /** A one-line reply. */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, List.of(text));
    }

    /** 2yz: the command was accepted. */
    public boolean isPositive() {
        return code / 100 == 2;
    }

    /** 3yz: go on (354 after DATA, 334 during AUTH). */
    public boolean isIntermediate() {
        return code / 100 == 3;
    }

    /** 4yz: a temporary failure; the client may try again. */
    public boolean isTransient() {
        return code / 100 == 4;
    }

    /** 5yz: a permanent failure. */
    public boolean isPermanent() {
        return code / 100 == 5;
    }

    /** The text of the first line. */
    public String text() {
        return lines.get(0);
    }

    /** The queue id a server's 250 for a message names, or null if its text names none the way servers do. */
    public String queueId() {
        if (!isPositive()) {
            return null;
        }
        for (String line : lines) {
            Matcher matcher = QUEUE_ID.matcher(line);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }
}
