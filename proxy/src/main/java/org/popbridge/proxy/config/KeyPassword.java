package org.popbridge.proxy.config;

import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.KeyPasswords;

/**
 * The password of an encrypted private key or PKCS#12 file: written in the config file
 * ({@code key-password}) or, better, named as an environment variable ({@code key-password-env}).
 * {@link #toString()} never shows the password.
 */
public record KeyPassword(String literal, String environmentVariable) {

    /** No password: the key is not encrypted. */
    public static KeyPassword none() {
        return new KeyPassword(null, null);
    }

    /** Binds the two keys; giving both is ambiguous and refused. */
    static KeyPassword of(String literal, String environmentVariable) {
        if (literal != null && environmentVariable != null) {
            throw new SettingException("key-password-env", "give key-password or key-password-env, not both");
        }
        if (environmentVariable != null && environmentVariable.isBlank()) {
            throw new SettingException("key-password-env", "name the environment variable that holds the key password");
        }
        return new KeyPassword(literal, environmentVariable);
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
