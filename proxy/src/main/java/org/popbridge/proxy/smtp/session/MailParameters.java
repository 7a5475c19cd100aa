package org.popbridge.proxy.smtp.session;

import java.util.Locale;

/** The ESMTP parameters of MAIL FROM (RFC 5321 section 4.1.1.2) that popbridge itself looks at. */
final class MailParameters {

    private MailParameters() {
    }

    /** The SIZE= a client declared (RFC 1870 section 6), or 0 if none or not a number. */
    static long size(String mailArgument) {
        int close = mailArgument.indexOf('>');
        String parameters = close < 0 ? "" : mailArgument.substring(close + 1);
        for (String parameter : parameters.strip().split(" +")) {
            if (parameter.toUpperCase(Locale.ROOT).startsWith("SIZE=")) {
                try {
                    return Long.parseLong(parameter.substring(5));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
