package org.popbridge.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What the scripted servers take as a bearer login, written from the specifications rather
 * than from the proxy's code: XOAUTH2 as Google documents it, OAUTHBEARER as RFC 7628 section
 * 3.1 does (a GS2 header naming the user, host and port, then the token).
 */
public final class BearerMessages {

    /** The error challenge a server sends for a token it refuses (RFC 7628 section 3.2.2), in base64. */
    public static final String ERROR_CHALLENGE = Base64.getEncoder().encodeToString(
            "{\"status\":\"invalid_token\",\"schemes\":\"bearer\",\"scope\":\"mail\"}".getBytes(StandardCharsets.US_ASCII));

    private BearerMessages() {
    }

    /** Whether {@code message} (the decoded response, one char per octet) logs {@code user} in with {@code token}. */
    public static boolean valid(String mechanism, String message, String user, String token) {
        if (mechanism.equals("XOAUTH2")) {
            return message.equals("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001");
        }
        if (!message.startsWith("n,a=" + user + ",\u0001") || !message.endsWith("\u0001\u0001")) {
            return false;
        }
        String[] pairs = message.substring(message.indexOf('\u0001') + 1, message.length() - 2).split("\u0001");
        boolean host = false;
        boolean port = false;
        boolean auth = false;
        for (String pair : pairs) {
            host |= pair.startsWith("host=") && pair.length() > 5;
            port |= pair.matches("port=[0-9]+");
            auth |= pair.equals("auth=Bearer " + token);
        }
        return host && port && auth;
    }
}
