package org.popbridge.proxy.config;

import org.popbridge.proxy.core.tls.KeyPassword;

/** The {@code key-password} and {@code key-password-env} keys of a certificate block, bound to one password. */
final class KeyPasswordKeys {

    private KeyPasswordKeys() {
    }

    /** Binds the two keys; giving both is ambiguous and refused. */
    static KeyPassword bind(String literal, String environmentVariable) {
        if (literal != null && environmentVariable != null) {
            throw new SettingException("key-password-env", "give key-password or key-password-env, not both");
        }
        if (environmentVariable != null && environmentVariable.isBlank()) {
            throw new SettingException("key-password-env", "name the environment variable that holds the key password");
        }
        return new KeyPassword(literal, environmentVariable);
    }
}
