package org.popbridge.proxy.upstream.imap.client;

/**
 * A literal announcement at the end of a response line: "{n}" (RFC 9051 section 4.3) or
 * the literal8 "~{n}" (RFC 3516). {@code start} is the index of its "{" or "~".
 */
record LiteralAnnouncement(long size, int start, boolean binary) {

    /**
     * The announcement {@code line} ends with, or null when it ends in no "{...}" that
     * could be one. Braces around something other than digits and signs ("{abc}") are
     * text; braces around a size that does not parse ("{}", "{-1}", "{5+}" which only a
     * client may send, or one beyond a long) are an error, since guessing would make the
     * rest of the stream meaningless.
     */
    static LiteralAnnouncement atEndOf(String line) {
        int close = line.length() - 1;
        if (close < 0 || line.charAt(close) != '}') {
            return null;
        }
        int open = line.lastIndexOf('{', close);
        if (open < 0) {
            return null;
        }
        boolean digitsOnly = open + 1 < close;
        for (int i = open + 1; i < close; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                if (c != '+' && c != '-') {
                    return null;
                }
                digitsOnly = false;
            }
        }
        String size = line.substring(open + 1, close);
        if (!digitsOnly) {
            throw new ImapSyntaxException("malformed literal size {" + size + "}");
        }
        long octets;
        try {
            octets = Long.parseLong(size);
        } catch (NumberFormatException tooLarge) {
            throw new ImapSyntaxException("literal size {" + size + "} exceeds " + Long.MAX_VALUE);
        }
        boolean binary = open > 0 && line.charAt(open - 1) == '~';
        return new LiteralAnnouncement(octets, binary ? open - 1 : open, binary);
    }
}
