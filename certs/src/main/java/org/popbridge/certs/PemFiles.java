package org.popbridge.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads and writes certificates and private keys as PEM files, the form operators get from their CA. */
public final class PemFiles {

    private PemFiles() {
    }

    /** Loads a PEM certificate chain and its unencrypted PEM private key; checks that the key matches the leaf. */
    public static ServerCredentials loadCredentials(Path certChainPem, Path keyPem) throws CertificateLoadException {
        return loadCredentials(certChainPem, keyPem, null);
    }

    /** As {@link #loadCredentials(Path, Path)}, decrypting an encrypted key with keyPassword (null: none given). */
    public static ServerCredentials loadCredentials(Path certChainPem, Path keyPem, char[] keyPassword)
            throws CertificateLoadException {
        List<X509Certificate> chain = PemCertificates.load(certChainPem);
        PrivateKey key = PemPrivateKey.load(keyPem, keyPassword);
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
        PemFileWriter.write(file, PemText.certificates(certs), PemFileWriter.PUBLIC);
    }

    /** Writes a private key as unencrypted PKCS#8 PEM; the file gets POSIX mode 0600 where supported. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        PemFileWriter.write(file, PemText.privateKey(key), PemFileWriter.OWNER_ONLY);
    }
}
