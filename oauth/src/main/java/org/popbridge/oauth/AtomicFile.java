package org.popbridge.oauth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file whole or not at all: the bytes go to a temporary file in the same directory,
 * created with mode 0600 (never widened, never chmod-ed), forced to disk, renamed over the target,
 * and the directory is forced so the rename survives a power cut. A crash at any point leaves
 * either the old file or the new one, plus at worst a ".tmp-" file that readers ignore.
 */
final class AtomicFile {
    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);
    static final String TEMP_PREFIX = ".tmp-";
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** The rename step, apart so a test can fail it where a crash would stop. */
    @FunctionalInterface
    interface Rename {
        void move(Path from, Path to) throws IOException;

        Rename ATOMIC = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private final Rename rename;

    AtomicFile(Rename rename) {
        this.rename = rename;
    }

    void write(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, ".part", OWNER_ONLY);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // rename(2) replaces the target atomically on POSIX file systems.
            rename.move(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.getParent());
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename is still atomic there.
            log.debug("could not force directory {}: {}", dir, e.toString());
        }
    }
}
