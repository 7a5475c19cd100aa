package org.popbridge.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** A served identity: private key plus certificate chain, leaf first. */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain) {

    /** Copies the chain so the identity cannot change after it was checked. */
    public ServerCredentials {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain holds at least the leaf certificate");
        }
    }

    /** The certificate this identity presents: the first of the chain. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The leaf's SHA-256 fingerprint, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public String sha256Fingerprint() {
        return Fingerprints.sha256(leaf());
    }

    /** The chain as a fresh array, leaf first, for JSSE and netty APIs that take arrays. */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    /** Describes the identity without the key, which must never reach a log. */
    @Override
    public String toString() {
        return "ServerCredentials[" + key.getAlgorithm() + " key, leaf "
                + leaf().getSubjectX500Principal().getName() + ", " + chain.size() + " certificate(s)]";
    }
}
