package org.popbridge.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over a file's secret part. The associated data binds the ciphertext to the file's
 * version, user, provider, grant kind and KDF algorithm, so a file copied under another user's
 * name, or edited in clear, does not decrypt.
 */
final class GrantCipher {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private GrantCipher() {
    }

    static TokenFile.Sealed seal(byte[] key, byte[] plaintext, byte[] associated, SecureRandom random) {
        // A fresh random nonce per write: a key sees a handful of writes (rotations), far from GCM's 2^32 bound.
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] sealed = cipher.doFinal(plaintext);
            Base64.Encoder b64 = Base64.getEncoder();
            return new TokenFile.Sealed(TokenFile.Sealed.AES_GCM, b64.encodeToString(nonce), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /** The plaintext, or empty when the tag does not verify: a wrong key, or a file changed since. */
    static Optional<byte[]> open(byte[] key, TokenFile.Sealed sealed, byte[] associated) {
        if (!TokenFile.Sealed.AES_GCM.equals(sealed.algorithm())) {
            return Optional.empty();
        }
        byte[] nonce = Base64.getDecoder().decode(sealed.nonce());
        byte[] ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
        if (nonce.length != NONCE_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            return Optional.of(cipher.doFinal(ciphertext));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }

    static byte[] associatedData(TokenFile file) {
        String bound = "popbridge-oauth/" + file.version() + "\n" + file.user() + "\n" + file.provider() + "\n"
                + file.kind() + "\n" + file.kdf().algorithm();
        return bound.getBytes(StandardCharsets.UTF_8);
    }
}
