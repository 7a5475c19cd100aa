package org.popbridge.proxy.smtp.session;

/** What popbridge itself reads of MAIL FROM and RCPT TO (RFC 5321 sections 4.1.1.2, 4.1.1.3): paths and SIZE. */
final class MailParameters {

    private MailParameters() {
    }

    /** The SIZE= a client declared (RFC 1870 section 6), or 0 if none or not a number. */
    static long size(String mailArgument) {
        // Read by hand: this runs for every MAIL, and String.split(" +") compiles a regex each time.
        int close = mailArgument.indexOf('>');
        String parameters = close < 0 ? "" : mailArgument.substring(close + 1).strip();
        int at = 0;
        while (at < parameters.length()) {
            int space = parameters.indexOf(' ', at);
            int end = space < 0 ? parameters.length() : space;
            if (parameters.regionMatches(true, at, "SIZE=", 0, 5) && end - at >= 5) {
                try {
                    return Long.parseLong(parameters, at + 5, end, 10);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            at = end + 1;
        }
        return 0;
    }

    /**
     * The path of {@code FROM:<path>} or {@code TO:<path>}, without its angle brackets; empty for
     * the null path {@code <>}; null if the argument does not start with {@code prefix}.
     */
    static String path(String argument, String prefix) {
        String stripped = argument.strip();
        if (!stripped.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return null;
        }
        String rest = stripped.substring(prefix.length()).stripLeading();
        if (rest.startsWith("<")) {
            int close = rest.indexOf('>');
            return close < 0 ? null : rest.substring(1, close);
        }
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }
}
