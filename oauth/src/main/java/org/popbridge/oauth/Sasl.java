package org.popbridge.oauth;

/** Checks shared by the SASL messages: a field with ^A or a line break would forge the message's framing. */
final class Sasl {
    private Sasl() {
    }

    static void requireField(String value, String what) {
        if (value == null || value.isEmpty() || value.length() > 1024 || value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("the SASL " + what + " must be 1 to 1024 printable characters");
        }
    }

    /** RFC 6750 2.1 b64token characters are printable ASCII without space. */
    static void requireToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 16 * 1024 || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("the access token is not a bearer token");
        }
    }
}
