package org.popbridge.proxy.pop3.session;

import java.util.Set;
import org.popbridge.proxy.pop3.Pop3Command;

/**
 * Recognises HTTP sent to the POP3 port: a browser tricked into a cross-protocol request
 * (ALPACA), whose body could otherwise carry POP3 commands that would be obeyed.
 */
final class HttpRequestLine {

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private HttpRequestLine() {
    }

    /**
     * An HTTP request line, or a header line ("Name: value"), which no POP3 keyword looks like;
     * the headers give the request away even when its request line was too long to be read.
     */
    static boolean matches(Pop3Command command) {
        String keyword = command.keyword();
        return METHODS.contains(keyword) || keyword.endsWith(":");
    }
}
