package org.popbridge.proxy.pop3;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The msg-id in a server greeting that APOP digests are computed over (RFC 1939 section 7). */
public final class ApopTimestamp {

    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");

    private ApopTimestamp() {
    }

    /** The last msg-id in the greeting text, if there is one. */
    public static Optional<String> in(String greeting) {
        Matcher matcher = MSG_ID.matcher(greeting);
        String found = null;
        while (matcher.find()) {
            found = matcher.group();
        }
        return Optional.ofNullable(found);
    }
}
