package org.popbridge.certs;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.BadPaddingException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.EncryptionException;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

/**
 * Decrypts the two encrypted private key forms openssl writes: PKCS#8 "ENCRYPTED PRIVATE KEY" (RFC 5958 section 3;
 * PBES2 with PBKDF2 or scrypt, PBES1, PKCS#12 PBE) and legacy PEM with "Proc-Type: 4,ENCRYPTED" and "DEK-Info".
 */
final class EncryptedPemKey {

    /** A private instance, not registered globally: the JDK's own providers stay the defaults for everything else. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private EncryptedPemKey() {
    }

    /** True for the PEM objects this class decrypts. */
    static boolean isEncrypted(Object pemObject) {
        return pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair;
    }

    /** Decrypts {@code encrypted} with a non-empty {@code password}; messages name {@code file}, never the password. */
    static PrivateKeyInfo decrypt(Object encrypted, char[] password, Path file) throws CertificateLoadException {
        if (encrypted instanceof PKCS8EncryptedPrivateKeyInfo pkcs8) {
            return decryptPkcs8(pkcs8, password, file);
        }
        return decryptLegacy((PEMEncryptedKeyPair) encrypted, password, file);
    }

    private static PrivateKeyInfo decryptPkcs8(PKCS8EncryptedPrivateKeyInfo pkcs8, char[] password, Path file)
            throws CertificateLoadException {
        List<InputDecryptorProvider> decryptors = new ArrayList<>();
        Exception unsupported = null;
        // The general PKCS#5/PKCS#12 reader (it knows scrypt) reads what openssl writes; BouncyCastle's own PKCS#8
        // writer turns non-ASCII passwords into key bytes differently, and only its matching reader follows it.
        for (InputDecryptorProviderBuilder builder : List.<InputDecryptorProviderBuilder>of(
                new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE)::build,
                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE)::build)) {
            try {
                InputDecryptorProvider decryptor = builder.build(password);
                // Asking for the decryptor up front separates "unknown algorithm" from "wrong password".
                decryptor.get(pkcs8.getEncryptionAlgorithm());
                decryptors.add(decryptor);
            } catch (OperatorCreationException | RuntimeException e) {
                // BouncyCastle's PKCS#8 reader fails on scrypt parameters with a ClassCastException.
                unsupported = e;
            }
        }
        if (decryptors.isEmpty()) {
            throw unsupported(file, "algorithm " + pkcs8.getEncryptionAlgorithm().getAlgorithm().getId(), unsupported);
        }
        Exception failure = null;
        for (InputDecryptorProvider decryptor : decryptors) {
            try {
                return pkcs8.decryptPrivateKeyInfo(decryptor);
            } catch (PKCSException | RuntimeException e) {
                // A wrong password fails the padding check, or (1 time in 256) yields bytes that are no key structure.
                failure = e;
            }
        }
        throw wrongPassword(file, failure);
    }

    /** The two BouncyCastle builders share no interface; this one lets them be tried in turn. */
    private interface InputDecryptorProviderBuilder {
        InputDecryptorProvider build(char[] password) throws OperatorCreationException;
    }

    private static PrivateKeyInfo decryptLegacy(PEMEncryptedKeyPair legacy, char[] password, Path file)
            throws CertificateLoadException {
        char[] utf8 = utf8BytesAsChars(password);
        try {
            if (Arrays.equals(utf8, password)) {
                return decryptLegacyWith(legacy, password, file);
            }
            try {
                return decryptLegacyWith(legacy, utf8, file);
            } catch (CertificateLoadException e) {
                // Java tools built on BouncyCastle wrote such keys from the low 8 bits of each char instead.
                return decryptLegacyWith(legacy, password, file);
            }
        } finally {
            Arrays.fill(utf8, '\0');
        }
    }

    private static PrivateKeyInfo decryptLegacyWith(PEMEncryptedKeyPair legacy, char[] password, Path file)
            throws CertificateLoadException {
        try {
            return legacy.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE)
                    .build(password)).getPrivateKeyInfo();
        } catch (EncryptionException e) {
            if (e.getCause() == null || e.getCause() instanceof GeneralSecurityException
                    && !(e.getCause() instanceof BadPaddingException)) {
                // BouncyCastle reports a DEK-Info cipher it does not implement without a cause.
                throw unsupported(file, legacy.getDekAlgName(), e);
            }
            throw wrongPassword(file, e);
        } catch (IOException | RuntimeException e) {
            throw wrongPassword(file, e);
        }
    }

    /**
     * openssl derives legacy PEM keys from the password's bytes (UTF-8 on today's systems), while BouncyCastle keeps
     * the low 8 bits of each char; handing it one char per UTF-8 byte makes non-ASCII passwords agree with openssl.
     */
    private static char[] utf8BytesAsChars(char[] password) {
        var utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        char[] chars = new char[utf8.remaining()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (utf8.get() & 0xff);
        }
        Arrays.fill(utf8.array(), (byte) 0);
        return chars;
    }

    private static CertificateLoadException wrongPassword(Path file, Exception cause) {
        return new CertificateLoadException("wrong key password for " + file + ": the encrypted private key cannot be"
                + " decrypted with the configured password (or the file is damaged)", cause);
    }

    private static CertificateLoadException unsupported(Path file, String algorithm, Exception cause) {
        return new CertificateLoadException(PemPrivateKey.ROLE + " " + file + " is encrypted with " + algorithm
                + ", which popbridge cannot decrypt; re-encrypt it with"
                + " 'openssl pkey -in KEY -aes256 -out NEW_KEY'", cause);
    }
}
