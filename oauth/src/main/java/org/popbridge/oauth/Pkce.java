package org.popbridge.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** A PKCE code verifier and its S256 challenge (RFC 7636 4.1, 4.2); toString hides the verifier. */
record Pkce(String verifier, String challenge) {

    static Pkce create(SecureRandom random) {
        // 32 random octets give the 43-character verifier RFC 7636 4.1 recommends.
        String verifier = randomToken(random, 32);
        return new Pkce(verifier, challengeOf(verifier));
    }

    static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static String randomToken(SecureRandom random, int octets) {
        byte[] bytes = new byte[octets];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "Pkce[S256 " + challenge + "]";
    }
}
