package org.popbridge.certs;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the one private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, each plain or password-encrypted. */
final class PemPrivateKey {

    static final String ROLE = "Private key file";

    private static final Logger LOG = LoggerFactory.getLogger(PemPrivateKey.class);

    private PemPrivateKey() {
    }

    /**
     * The private key in {@code file}, decrypted with {@code password} if it is encrypted (null: none configured).
     * Other blocks (EC PARAMETERS, a certificate in a combined file) are skipped.
     */
    static PrivateKey load(Path file, char[] password) throws CertificateLoadException {
        List<Object> objects = PemFileReader.read(file, ROLE);
        List<Object> keys = objects.stream()
                .filter(o -> o instanceof PrivateKeyInfo || o instanceof PEMKeyPair || EncryptedPemKey.isEncrypted(o))
                .toList();
        if (keys.isEmpty()) {
            throw new CertificateLoadException(ROLE + " " + file + " contains no PEM private key ("
                    + PemFileReader.describe(objects) + ")");
        }
        if (keys.size() > 1) {
            throw new CertificateLoadException(ROLE + " " + file + " contains " + keys.size()
                    + " private keys; it must contain exactly one");
        }
        PrivateKeyInfo info = keyInfo(keys.get(0), password, file);
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException e) {
            throw new CertificateLoadException(ROLE + " " + file + " holds a private key that cannot be used: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo keyInfo(Object key, char[] password, Path file) throws CertificateLoadException {
        if (EncryptedPemKey.isEncrypted(key)) {
            if (password == null || password.length == 0) {
                throw new CertificateLoadException(ROLE + " " + file + " holds an encrypted private key, so a key"
                        + " password is needed, but " + (password == null ? "none is configured" : "the configured"
                        + " one is empty") + ": configure the key password (key-password or key-password-env),"
                        + " or decrypt the key with 'openssl pkey -in KEY -out NEW_KEY' and make the new file"
                        + " readable only by popbridge");
            }
            return EncryptedPemKey.decrypt(key, password, file);
        }
        if (password != null && password.length > 0) {
            LOG.warn("{} {} is not encrypted; the configured key password is not needed", ROLE, file);
        }
        // Only the private half of a PEMKeyPair: SEC1 keys may omit the public key, and the match check derives it.
        return key instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) key;
    }
}
