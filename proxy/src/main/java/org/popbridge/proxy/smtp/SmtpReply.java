package org.popbridge.proxy.smtp;

import java.util.List;

/**
 * A reply (RFC 5321 section 4.2): a three-digit code and one or more lines of text; the text
 * of each line, after the code and its separator, keeps any enhanced status code (RFC 3463)
 * as the server wrote it.
 */
public record SmtpReply(int code, List<String> lines) {

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
}
