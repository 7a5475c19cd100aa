package org.popbridge.certs;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Reads a server identity from a PKCS#12 (.p12/.pfx) file, the form Windows and many CAs export. */
public final class Pkcs12Files {

    private Pkcs12Files() {
    }

    /** The single private key entry of a PKCS#12 file (RFC 7292) with its chain, leaf first; null password: empty. */
    public static ServerCredentials loadCredentials(Path p12, char[] password) throws CertificateLoadException {
        KeyStore store = Pkcs12FileReader.read(p12, password);
        String alias = singleKeyAlias(store, p12);
        try {
            PrivateKey key = (PrivateKey) store.getKey(alias, password == null ? new char[0] : password);
            List<X509Certificate> chain = x509Chain(store.getCertificateChain(alias), alias, p12);
            if (!KeyMatch.matches(key, chain.get(0).getPublicKey())) {
                throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + ": the key of entry '" + alias
                        + "' does not match its certificate " + chain.get(0).getSubjectX500Principal().getName());
            }
            return new ServerCredentials(key, chain);
        } catch (UnrecoverableKeyException e) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + ": the key of entry '" + alias
                    + "' is protected by a password other than the file's; re-export it with one password", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + ": the key of entry '" + alias
                    + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static String singleKeyAlias(KeyStore store, Path p12) throws CertificateLoadException {
        List<String> keyAliases = new ArrayList<>();
        int certificateEntries = 0;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    keyAliases.add(alias);
                } else if (store.isCertificateEntry(alias)) {
                    certificateEntries++;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + " cannot be listed: "
                    + e.getMessage(), e);
        }
        if (keyAliases.isEmpty()) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + " holds no private key entry ("
                    + certificateEntries + " certificate-only entries); export the server's key together with its"
                    + " certificate chain");
        }
        if (keyAliases.size() > 1) {
            Collections.sort(keyAliases);
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + " holds " + keyAliases.size()
                    + " private key entries (" + keyAliases.stream().map(a -> "'" + a + "'")
                    .collect(Collectors.joining(", ")) + "); it must hold exactly one, the server's");
        }
        return keyAliases.get(0);
    }

    private static List<X509Certificate> x509Chain(Certificate[] chain, String alias, Path p12)
            throws CertificateLoadException {
        if (chain == null || chain.length == 0) {
            throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + ": key entry '" + alias
                    + "' has no certificate");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Certificate cert : chain) {
            if (!(cert instanceof X509Certificate x509)) {
                throw new CertificateLoadException(Pkcs12FileReader.ROLE + " " + p12 + ": key entry '" + alias
                        + "' holds a " + cert.getType() + " certificate, not X.509");
            }
            certs.add(x509);
        }
        return certs;
    }
}
