package org.popbridge.certs;

/** A certificate or key file could not be used; the message names the file and what is wrong. */
public class CertificateLoadException extends Exception {

    /** Creates the exception with an operator-readable message that names the file. */
    public CertificateLoadException(String message) {
        super(message);
    }

    /** Creates the exception with an operator-readable message and the underlying cause. */
    public CertificateLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
