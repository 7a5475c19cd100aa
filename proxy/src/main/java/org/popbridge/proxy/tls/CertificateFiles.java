package org.popbridge.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Where a served certificate comes from: a PEM chain and its key.
 *
 * @param watched whether a replacement of the files is loaded while running (not for the generated self-signed pair)
 */
public record CertificateFiles(Path cert, Path key, boolean watched) {

    /** What the two files look like now; a change in either means "maybe replaced". */
    List<FileStamp> stamp() {
        return List.of(FileStamp.of(cert), FileStamp.of(key));
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
