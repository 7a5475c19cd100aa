package org.popbridge.proxy.core.tls;

import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.KeyPasswords;

/**
 * The password of an encrypted private key or PKCS#12 file: written in the config file
 * or, better, named as an environment variable.
 * {@link #toString()} never shows the password.
 */
public record KeyPassword(String literal, String environmentVariable) {

    /** No password: the key is not encrypted. */
    public static KeyPassword none() {
        return new KeyPassword(null, null);
    }

    /** The password to decrypt with, or null if none is configured; an unset variable is an error. */
    public char[] resolve() throws CertificateLoadException {
        return KeyPasswords.resolve(literal, environmentVariable);
    }

    @Override
    public String toString() {
        if (literal != null) {
            return "KeyPassword[***]";
        }
        return environmentVariable != null ? "KeyPassword[$" + environmentVariable + "]" : "KeyPassword[none]";
    }
}
