package org.popbridge.proxy.core.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The SASL mechanisms that carry an OAuth 2.0 bearer token, and their messages in base64, as
 * POP3 (RFC 5034), IMAP (RFC 9051) and SMTP (RFC 4954) send them. The user name is the octets
 * the client sent, one char each (ISO-8859-1), as {@link org.popbridge.proxy.core.session.Credentials} holds it.
 */
public enum SaslBearer {
    /**
     * Google's and Microsoft's XOAUTH2: {@code user=U ^A auth=Bearer T ^A ^A}. A refusal comes as a
     * challenge holding a JSON error, which the client answers with an empty response.
     */
    XOAUTH2("") {
        @Override
        String message(String user, AccessToken token, String host, int port) {
            return "user=" + user + KVSEP + "auth=Bearer " + token.value() + KVSEP + KVSEP;
        }
    },
    /**
     * RFC 7628 OAUTHBEARER: a GS2 header naming the user, then host, port and the token. A
     * refusal comes as a challenge holding a JSON error, which the client answers with a single
     * ^A (section 3.2.3).
     */
    OAUTHBEARER(Base64.getEncoder().encodeToString(new byte[] {1})) {
        @Override
        String message(String user, AccessToken token, String host, int port) {
            return "n,a=" + saslName(user) + "," + KVSEP + "host=" + host + KVSEP + "port=" + port + KVSEP
                    + "auth=Bearer " + token.value() + KVSEP + KVSEP;
        }
    };

    private static final char KVSEP = '\u0001';

    private final String errorAnswer;

    SaslBearer(String errorAnswer) {
        this.errorAnswer = errorAnswer;
    }

    abstract String message(String user, AccessToken token, String host, int port);

    /**
     * The client's first (and only) response, in base64: what goes after the mechanism's name as
     * an initial response, or alone on a line after an empty challenge.
     *
     * @param host the server's host name, as connected to (OAUTHBEARER only)
     * @param port the server's port (OAUTHBEARER only)
     */
    public String initialResponse(String user, AccessToken token, String host, int port) {
        return Base64.getEncoder().encodeToString(message(user, token, host, port).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The response to a challenge after the initial response, which is the server's error (a base64 JSON). */
    public String errorAnswer() {
        return errorAnswer;
    }

    /** The mechanism's name on the wire. */
    public String saslName() {
        return name();
    }

    /** RFC 5801 section 4 saslname: "," and "=" escaped as "=2C" and "=3D". */
    static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }
}
