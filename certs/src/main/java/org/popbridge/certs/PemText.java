package org.popbridge.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Certificates and keys as the PEM text popbridge writes to files. */
final class PemText {

    private PemText() {
    }

    /** The certificates as consecutive "CERTIFICATE" blocks, in list order. */
    static String certificates(List<X509Certificate> certs) {
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no certificates to write");
        }
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (X509Certificate cert : certs) {
                writer.writeObject(cert);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter does not fail", e);
        }
        return pem.toString();
    }

    /** The key as an unencrypted PKCS#8 "PRIVATE KEY" block, the form every TLS stack reads. */
    static String privateKey(PrivateKey key) {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            // JcaPKCS8Generator fails only for a key without a PKCS#8 encoding.
            throw new IllegalArgumentException("the " + key.getAlgorithm() + " key has no PKCS#8 encoding", e);
        }
        return pem.toString();
    }
}
