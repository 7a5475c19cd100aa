package org.popbridge.certs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Certificate fingerprints in the form operators compare by eye with openssl's output. */
public final class Fingerprints {

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {
    }

    /** SHA-256 over the DER encoding, upper-case hex pairs separated by ':' (as openssl x509 -fingerprint -sha256 prints). */
    public static String sha256(X509Certificate cert) {
        return fingerprint(cert, "SHA-256");
    }

    /** SHA-1 over the DER encoding, as openssl x509 -fingerprint -sha1 prints; old clients' dialogs show this one. */
    public static String sha1(X509Certificate cert) {
        return fingerprint(cert, "SHA-1");
    }

    private static String fingerprint(X509Certificate cert, String digest) {
        try {
            return COLON_HEX.formatHex(MessageDigest.getInstance(digest).digest(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + digest, e);
        }
    }
}
