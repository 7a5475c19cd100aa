package org.popbridge.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes certificates and private keys as PEM files, the form operators get from their CA. */
public final class PemFiles {

    private PemFiles() {
    }

    /** Loads a PEM certificate chain and its PEM private key; checks that the key matches the leaf. */
    public static ServerCredentials loadCredentials(Path certChainPem, Path keyPem) throws CertificateLoadException {
        List<X509Certificate> chain = PemCertificates.load(certChainPem);
        PrivateKey key = PemPrivateKey.load(keyPem);
        X509Certificate leaf = chain.get(0);
        if (!KeyMatch.matches(key, leaf.getPublicKey())) {
            throw new CertificateLoadException(PemPrivateKey.ROLE + " " + keyPem
                    + " does not match the first certificate in " + certChainPem + " (key type "
                    + key.getAlgorithm() + ", certificate " + leaf.getSubjectX500Principal().getName() + " key type "
                    + leaf.getPublicKey().getAlgorithm() + "); the server's own certificate must come first");
        }
        return new ServerCredentials(key, chain);
    }

    /** Loads every certificate in a PEM bundle (for example a CA bundle). At least one, else error. */
    public static List<X509Certificate> loadCertificates(Path pem) throws CertificateLoadException {
        return PemCertificates.load(pem);
    }

    /** Writes certificates as PEM, in list order, replacing the file atomically. */
    public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no certificates to write to " + file);
        }
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (X509Certificate cert : certs) {
                writer.writeObject(cert);
            }
        }
        PemFileWriter.write(file, pem.toString(), PemFileWriter.PUBLIC);
    }

    /** Writes a private key as unencrypted PKCS#8 PEM; the file gets POSIX mode 0600 where supported. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        PemFileWriter.write(file, pem.toString(), PemFileWriter.OWNER_ONLY);
    }
}
