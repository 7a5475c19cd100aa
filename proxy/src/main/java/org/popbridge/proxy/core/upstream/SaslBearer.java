package org.popbridge.proxy.core.upstream;

import java.util.Base64;
import org.popbridge.oauth.OAuthBearer;
import org.popbridge.oauth.Xoauth2;

/**
 * The SASL mechanisms that carry an OAuth 2.0 bearer token, as POP3 (RFC 5034), IMAP (RFC 9051)
 * and SMTP (RFC 4954) send them. The messages themselves are the oauth module's (one wire form
 * for every caller); what is here is what a protocol needs around them: the mechanism's name
 * and the answer to the server's error challenge.
 */
public enum SaslBearer {
    /**
     * Google's and Microsoft's XOAUTH2: {@code user=U ^A auth=Bearer T ^A ^A}. A refusal comes as a
     * challenge holding a JSON error, which the client answers with an empty response.
     */
    XOAUTH2("") {
        @Override
        public String initialResponse(String user, AccessToken token, String host, int port) {
            return Xoauth2.initialResponse(user, token.value());
        }
    },
    /**
     * RFC 7628 OAUTHBEARER: a GS2 header naming the user, then host, port and the token. A
     * refusal comes as a challenge holding a JSON error, which the client answers with a single
     * ^A (section 3.2.3).
     */
    OAUTHBEARER(Base64.getEncoder().encodeToString(new byte[] {1})) {
        @Override
        public String initialResponse(String user, AccessToken token, String host, int port) {
            return OAuthBearer.initialResponse(user, host, port, token.value());
        }
    };

    private final String errorAnswer;

    SaslBearer(String errorAnswer) {
        this.errorAnswer = errorAnswer;
    }

    /**
     * The client's first (and only) response, in base64 (the user's name and the token as UTF-8):
     * what goes after the mechanism's name as an initial response, or alone on a line after an
     * empty challenge.
     *
     * @param host the server's host name, as connected to (OAUTHBEARER only)
     * @param port the server's port (OAUTHBEARER only)
     */
    public abstract String initialResponse(String user, AccessToken token, String host, int port);

    /** The response to a challenge after the initial response, which is the server's error (a base64 JSON). */
    public String errorAnswer() {
        return errorAnswer;
    }

    /** The mechanism's name on the wire. */
    public String saslName() {
        return name();
    }
}
