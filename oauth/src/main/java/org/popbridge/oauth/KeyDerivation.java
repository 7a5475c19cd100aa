package org.popbridge.oauth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/** Turns a {@link StoreKey} and a file's KDF section into the file's 256-bit AES key. */
final class KeyDerivation {
    static final int KEY_BYTES = 32;
    static final int SALT_BYTES = 16;
    private static final byte[] HKDF_INFO = "popbridge oauth token store v1".getBytes(StandardCharsets.US_ASCII);

    private KeyDerivation() {
    }

    /** The section a new file gets for this kind of key. */
    static TokenFile.Kdf newSection(StoreKey key, KdfParameters cost, byte[] salt) {
        String encoded = Base64.getEncoder().encodeToString(salt);
        if (key instanceof StoreKey.LocalPassword) {
            return new TokenFile.Kdf(TokenFile.Kdf.ARGON2ID, cost.memoryKib(), cost.iterations(), cost.parallelism(), encoded);
        }
        return new TokenFile.Kdf(TokenFile.Kdf.HKDF_SHA256, null, null, null, encoded);
    }

    /**
     * The key, or empty when the key's kind is not the file's (a password for a master-key entry).
     * Throws IllegalArgumentException for a section out of bounds (a damaged or hostile file).
     */
    static Optional<byte[]> derive(StoreKey key, TokenFile.Kdf section) {
        byte[] salt = Base64.getDecoder().decode(section.salt());
        if (salt.length < SALT_BYTES) {
            throw new IllegalArgumentException("salt too short");
        }
        if (key instanceof StoreKey.LocalPassword password && TokenFile.Kdf.ARGON2ID.equals(section.algorithm())) {
            KdfParameters cost = new KdfParameters(section.memoryKib(), section.iterations(), section.parallelism());
            return Optional.of(argon2id(password.password(), salt, cost));
        }
        if (key instanceof StoreKey.MasterKey master && TokenFile.Kdf.HKDF_SHA256.equals(section.algorithm())) {
            return Optional.of(hkdf(master.key(), salt));
        }
        return Optional.empty();
    }

    private static byte[] argon2id(String password, byte[] salt, KdfParameters cost) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] secret = utf8(password);
        byte[] out = new byte[KEY_BYTES];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }

    private static byte[] hkdf(byte[] master, byte[] salt) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(master, salt, HKDF_INFO));
        byte[] out = new byte[KEY_BYTES];
        generator.generateBytes(out, 0, out.length);
        Arrays.fill(master, (byte) 0);
        return out;
    }

    /** UTF-8 without a String copy; unpaired surrogates cannot come from a decoded login, so they are replaced. */
    static byte[] utf8(String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 with REPLACE cannot fail", e);
        }
    }
}
