package org.popbridge.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.Optional;

/**
 * The error a server sends instead of success to XOAUTH2 or OAUTHBEARER (RFC 7628 3.2.2): base64
 * of a JSON object with status, and optionally schemes, scope and openid-configuration. After it
 * the client sends a lone ^A (base64 "AQ==") and the server answers with a failure. Values are
 * cleaned for a log line; the challenge holds no secret.
 */
public record SaslErrorChallenge(String status, String scope, String schemes) {

    /** A challenge larger than this is not one. */
    static final int MAX_LENGTH = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The challenge the server sent (the text after "+ " or "334 "), or empty if it is not one. */
    public static Optional<SaslErrorChallenge> parse(String base64) {
        if (base64 == null || base64.isEmpty() || base64.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(Base64.getDecoder().decode(base64.strip()));
            if (json == null || !json.isObject() || !json.path("status").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new SaslErrorChallenge(clean(json.path("status").asText()),
                    clean(json.path("scope").asText("")), clean(json.path("schemes").asText(""))));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The one line for a log: "status 401, scope ..., schemes ...". */
    public String describe() {
        StringBuilder out = new StringBuilder("status ").append(status);
        if (!scope.isEmpty()) {
            out.append(", scope ").append(scope);
        }
        if (!schemes.isEmpty()) {
            out.append(", schemes ").append(schemes);
        }
        return out.toString();
    }

    /** The client's answer to the challenge (RFC 7628 3.2.3): a lone ^A, base64. */
    public static String acknowledgement() {
        return "AQ==";
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
