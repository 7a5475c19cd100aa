package org.popbridge.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

/** Opens a PKCS#12 (RFC 7292) file with its password; I/O, format and password problems become operator messages. */
final class Pkcs12FileReader {

    static final String ROLE = "PKCS#12 file";

    private Pkcs12FileReader() {
    }

    /** The file as a JDK key store; a null password is taken as the empty one ({@code openssl -passout pass:}). */
    static KeyStore read(Path file, char[] password) throws CertificateLoadException {
        byte[] bytes = readBytes(file);
        if (new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1).contains("-----BEGIN")) {
            throw new CertificateLoadException(ROLE + " " + file + " is PEM text, not PKCS#12;"
                    + " configure it as a PEM certificate and key instead");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password == null ? new char[0] : password);
            return store;
        } catch (IOException e) {
            // The JDK reports a failed MAC check and an undecryptable bag alike, with this cause.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CertificateLoadException("wrong password for " + ROLE + " " + file
                        + ": its contents cannot be verified or decrypted with the configured password", e);
            }
            throw new CertificateLoadException(ROLE + " " + file + " is not a readable PKCS#12 file: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(ROLE + " " + file + " uses an algorithm this Java runtime cannot"
                    + " handle (" + e.getMessage() + "); re-export it with a current openssl pkcs12 -export", e);
        }
    }

    private static byte[] readBytes(Path file) throws CertificateLoadException {
        if (Files.isDirectory(file)) {
            throw new CertificateLoadException(ROLE + " " + file + " is a directory, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(ROLE + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new CertificateLoadException(ROLE + " " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new CertificateLoadException(ROLE + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
