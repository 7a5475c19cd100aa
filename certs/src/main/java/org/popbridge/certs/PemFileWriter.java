package org.popbridge.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes PEM text to files with the file mode set before any byte is written. */
final class PemFileWriter {

    /** Certificates are public: owner writes, everyone reads. */
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** Private keys: owner only (0600). */
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PemFileWriter() {
    }

    /** Writes {@code pem} to {@code file}; POSIX mode {@code mode} is applied where the file system has one. */
    static void write(Path file, String pem, Set<PosixFilePermission> mode) throws IOException {
        Path target = file.toAbsolutePath();
        // A temporary file in the same directory makes the final move a rename: readers see old or new, never half.
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(mode);
            }
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code file} with {@code pem} and POSIX mode {@code mode}; never replaces an existing file, so two
     * runs cannot both think they created it.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists
     */
    static void writeNew(Path file, String pem, Set<PosixFilePermission> mode) throws IOException {
        Path target = file.toAbsolutePath();
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(mode));
            // The creation mode passes through the umask; setting it again makes the result independent of it.
            Files.setPosixFilePermissions(target, mode);
        } else {
            Files.createFile(target);
        }
        try {
            Files.writeString(target, pem, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            // A half-written key or certificate must not be mistaken for a finished one on the next run.
            Files.deleteIfExists(target);
            throw e;
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
