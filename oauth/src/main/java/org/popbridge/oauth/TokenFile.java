package org.popbridge.oauth;

/**
 * One user's file in the token store, as JSON: in clear what list() shows and the KDF needs, and
 * the account and refresh token only inside the AES-GCM ciphertext. Dates are ISO-8601 strings.
 */
record TokenFile(int version, String user, String provider, GrantKind kind, Kdf kdf, Sealed sealed,
        String created, String updated) {

    static final int VERSION = 1;

    /** argon2id (memoryKib, iterations, parallelism) or hkdf-sha256 (master key; no costs), and the salt, base64. */
    record Kdf(String algorithm, Integer memoryKib, Integer iterations, Integer parallelism, String salt) {
        static final String ARGON2ID = "argon2id";
        static final String HKDF_SHA256 = "hkdf-sha256";
    }

    /** AES-256-GCM with a 96-bit nonce and 128-bit tag; ciphertext includes the tag; both base64. */
    record Sealed(String algorithm, String nonce, String ciphertext) {
        static final String AES_GCM = "AES-256-GCM";
    }

    TokenFile withSealed(Sealed newSealed, String newUpdated) {
        return new TokenFile(version, user, provider, kind, kdf, newSealed, created, newUpdated);
    }
}
