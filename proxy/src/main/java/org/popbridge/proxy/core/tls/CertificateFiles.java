package org.popbridge.proxy.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.PemFiles;
import org.popbridge.certs.Pkcs12Files;
import org.popbridge.certs.ServerCredentials;

/**
 * Where a served certificate comes from: a PEM chain and its key, or one PKCS#12 file
 * ({@code key} null), with the password that decrypts the key if it is encrypted.
 *
 * @param watched whether a replacement of the files is loaded while running (not for the generated self-signed pair)
 */
public record CertificateFiles(Path cert, Path key, KeyPassword password, boolean watched) {

    public CertificateFiles(Path cert, Path key, boolean watched) {
        this(cert, key, KeyPassword.none(), watched);
    }

    /** Reads and checks the certificate and key; the password is cleared once used. */
    public ServerCredentials load() throws CertificateLoadException {
        char[] secret = password.resolve();
        try {
            return key == null ? Pkcs12Files.loadCredentials(cert, secret) : PemFiles.loadCredentials(cert, key, secret);
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    /** What the files look like now; a change in any means "maybe replaced". */
    List<FileStamp> stamp() {
        return key == null ? List.of(FileStamp.of(cert)) : List.of(FileStamp.of(cert), FileStamp.of(key));
    }

    /**
     * One file's modification time, size and identity (inode): an atomic rename changes the
     * identity even when time and size happen to match. {@code missing} for an absent file.
     */
    record FileStamp(Path file, boolean missing, long modifiedNanos, long size, Object identity) {

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(file, false, attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                        attributes.size(), attributes.fileKey());
            } catch (NoSuchFileException e) {
                return new FileStamp(file, true, 0, 0, null);
            } catch (IOException e) {
                // Unreadable attributes count as a state of their own; loading will say what is wrong.
                return new FileStamp(file, true, -1, -1, e.getClass().getName());
            }
        }
    }
}
