package org.popbridge.proxy.smtp.session;

import java.util.Set;
import org.popbridge.proxy.smtp.SmtpCommand;

/** HTTP sent to an SMTP port: a cross-protocol attack (ALPACA) or a confused client. */
final class HttpProbe {

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private HttpProbe() {
    }

    /** An HTTP request line, or a header line ("Name: value"), which no SMTP keyword looks like. */
    static boolean matches(SmtpCommand command) {
        String keyword = command.keyword();
        return METHODS.contains(keyword) || keyword.endsWith(":");
    }
}
