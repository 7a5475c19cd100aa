package org.popbridge.proxy.pop3.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the user name in a relayed SASL exchange, for the session's log lines: the
 * authentication identity of PLAIN (RFC 4616 section 2) or LOGIN's first response. Only
 * the name leaves this class; the rest of the response is never kept.
 */
final class SaslIdentity {

    private final String mechanism;
    private boolean named;

    SaslIdentity(String mechanism) {
        this.mechanism = mechanism;
    }

    /** The user named by this client response, if it is the response that names one. */
    Optional<String> observe(String base64Response) {
        if (named) {
            return Optional.empty();
        }
        named = true;
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64Response.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        if (mechanism.equals("PLAIN")) {
            // authzid NUL authcid NUL passwd: the authcid is who logs in.
            String[] parts = text.split("\0", -1);
            return parts.length == 3 && !parts[1].isEmpty() ? Optional.of(parts[1]) : Optional.empty();
        }
        return mechanism.equals("LOGIN") && !text.isEmpty() && text.indexOf('\0') < 0
                ? Optional.of(text) : Optional.empty();
    }
}
