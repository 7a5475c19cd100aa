package org.popbridge.certs;

import java.util.function.UnaryOperator;

/** Resolves a configured key password: given literally, or named by an environment variable that holds it. */
public final class KeyPasswords {

    private KeyPasswords() {
    }

    /** The password given literally or in the named environment variable, null if neither; at most one may be given. */
    public static char[] resolve(String literal, String environmentVariable) throws CertificateLoadException {
        return resolve(literal, environmentVariable, System::getenv);
    }

    /** {@link #resolve(String, String)} with {@code environment} in place of the process environment. */
    static char[] resolve(String literal, String environmentVariable, UnaryOperator<String> environment)
            throws CertificateLoadException {
        if (literal != null && environmentVariable != null) {
            throw new CertificateLoadException("the key password is given both literally and by environment variable "
                    + environmentVariable + "; give only one of them");
        }
        if (literal != null) {
            return literal.toCharArray();
        }
        if (environmentVariable == null) {
            return null;
        }
        if (environmentVariable.isBlank()) {
            throw new CertificateLoadException("the environment variable for the key password has an empty name");
        }
        String value = environment.apply(environmentVariable);
        if (value == null) {
            throw new CertificateLoadException("environment variable " + environmentVariable
                    + " is not set, but the key password is to be read from it");
        }
        return value.toCharArray();
    }
}
