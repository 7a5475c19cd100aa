package org.popbridge.certs;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads the one private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC. */
final class PemPrivateKey {

    static final String ROLE = "Private key file";

    private PemPrivateKey() {
    }

    /** The private key in {@code file}; other blocks (EC PARAMETERS, a certificate in a combined file) are skipped. */
    static PrivateKey load(Path file) throws CertificateLoadException {
        List<Object> objects = PemFileReader.read(file, ROLE);
        List<PrivateKeyInfo> keys = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new CertificateLoadException(ROLE + " " + file + " holds an encrypted private key;"
                        + " encrypted keys are not supported yet (decrypt it with 'openssl pkey -in KEY -out NEW_KEY'"
                        + " and make the new file readable only by popbridge)");
            }
            if (o instanceof PrivateKeyInfo info) {
                keys.add(info);
            } else if (o instanceof PEMKeyPair pair) {
                // Only the private half: SEC1 keys may omit the public key, and the match check derives it anyway.
                keys.add(pair.getPrivateKeyInfo());
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateLoadException(ROLE + " " + file + " contains no PEM private key ("
                    + PemFileReader.describe(objects) + ")");
        }
        if (keys.size() > 1) {
            throw new CertificateLoadException(ROLE + " " + file + " contains " + keys.size()
                    + " private keys; it must contain exactly one");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(keys.get(0));
        } catch (PEMException e) {
            throw new CertificateLoadException(ROLE + " " + file + " holds a private key that cannot be used: "
                    + e.getMessage(), e);
        }
    }
}
