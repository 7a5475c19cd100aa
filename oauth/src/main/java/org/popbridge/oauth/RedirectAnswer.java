package org.popbridge.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization response the browser landed on (RFC 6749 4.1.2, 4.1.2.1), pasted by the admin:
 * the query's code and state, or its error. toString hides the code.
 */
record RedirectAnswer(Optional<String> code, Optional<String> state, Optional<String> error) {

    /** A pasted URL longer than this is not a redirect from an identity provider. */
    static final int MAX_LENGTH = 8 * 1024;

    static RedirectAnswer parse(String pasted) throws OAuthException {
        if (pasted == null || pasted.isBlank() || pasted.length() > MAX_LENGTH) {
            throw new OAuthException(OAuthException.Kind.PROTOCOL, "the pasted redirect URL is empty or too long");
        }
        String query;
        try {
            query = new URI(pasted.strip()).getRawQuery();
        } catch (URISyntaxException e) {
            throw new OAuthException(OAuthException.Kind.PROTOCOL, "the pasted redirect URL is not a URL");
        }
        Map<String, String> fields = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                // A repeated parameter is an attack on whichever copy the parser keeps (RFC 6749 3.1).
                if (fields.putIfAbsent(name, value) != null) {
                    throw new OAuthException(OAuthException.Kind.PROTOCOL, "the pasted redirect URL repeats " + safeName(name));
                }
            }
        }
        return new RedirectAnswer(Optional.ofNullable(fields.get("code")).filter(s -> !s.isEmpty()),
                Optional.ofNullable(fields.get("state")), Optional.ofNullable(fields.get("error")));
    }

    private static String decode(String text) throws OAuthException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthException.Kind.PROTOCOL, "the pasted redirect URL has a bad %-escape");
        }
    }

    private static String safeName(String name) {
        return name.matches("[A-Za-z_]{1,32}") ? name : "a parameter";
    }

    @Override
    public String toString() {
        return "RedirectAnswer[" + (code.isPresent() ? "code" : "no code") + ", error " + error.orElse("none") + "]";
    }
}
