package org.popbridge.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * SASL XOAUTH2 (Google's and Microsoft's mechanism, documented by both): the initial client
 * response for AUTH XOAUTH2 (POP3, SMTP) and AUTHENTICATE XOAUTH2 (IMAP).
 */
public final class Xoauth2 {
    private Xoauth2() {
    }

    /** base64("user=" user ^A "auth=Bearer " token ^A ^A); the result carries the token, never log it. */
    public static String initialResponse(String user, String accessToken) {
        Sasl.requireField(user, "user");
        Sasl.requireToken(accessToken);
        String message = "user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001";
        return Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    }
}
