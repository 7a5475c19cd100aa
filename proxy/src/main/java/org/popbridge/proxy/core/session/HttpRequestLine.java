package org.popbridge.proxy.core.session;

import java.util.Set;

/**
 * Recognises HTTP sent to a mail port: a browser tricked into a cross-protocol request
 * (ALPACA), whose body could otherwise carry POP3 or SMTP commands that would be obeyed.
 */
public final class HttpRequestLine {

    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private HttpRequestLine() {
    }

    /**
     * Whether a line's upper-case keyword opens an HTTP request line or is a header line's
     * name ("Name: value"), which no POP3 or SMTP keyword looks like; the headers give the
     * request away even when its request line was too long to be read.
     */
    public static boolean matches(String keyword) {
        return METHODS.contains(keyword) || keyword.endsWith(":");
    }
}
