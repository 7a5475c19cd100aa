package org.popbridge.oauth;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * What unlocks a user's entry in the {@link TokenStore}: the local password the legacy client logs
 * in with, or an admin master key for service accounts. toString never shows either.
 */
public sealed interface StoreKey {

    /** The password the legacy client sends; the entry's key is derived from it with Argon2id. */
    record LocalPassword(String password) implements StoreKey {
        public LocalPassword {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the local password must not be empty");
            }
        }

        @Override
        public String toString() {
            return "LocalPassword[hidden]";
        }
    }

    /**
     * A 32-byte admin key (from an environment variable) for client-credentials entries; the entry's
     * key is derived from it with HKDF-SHA256 and the entry's salt. It proves nothing about a client:
     * the proxy must authenticate the clients of such an entry another way.
     */
    record MasterKey(byte[] key) implements StoreKey {
        public static final int LENGTH = 32;

        public MasterKey {
            Objects.requireNonNull(key, "key");
            if (key.length != LENGTH) {
                throw new IllegalArgumentException("the master key must be " + LENGTH + " bytes");
            }
            key = key.clone();
        }

        /** The key as the admin writes it: base64 of 32 random bytes (openssl rand -base64 32). */
        public static MasterKey fromBase64(String text) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(Objects.requireNonNull(text, "text").strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the master key is not base64");
            }
            return new MasterKey(key);
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MasterKey m && Arrays.equals(key, m.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "MasterKey[hidden]";
        }
    }
}
