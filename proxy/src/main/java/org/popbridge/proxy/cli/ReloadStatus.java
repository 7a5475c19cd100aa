package org.popbridge.proxy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reload-status} in the state directory: the outcome of the last reload, a first line
 * {@code ok TIME} or {@code refused TIME} and, when refused, the reasons on the lines after it,
 * so that {@code popbridge reload} can tell the admin what the signal it sent did, as the log does.
 */
final class ReloadStatus {

    static final String NAME = "reload-status";

    private static final Logger log = LoggerFactory.getLogger(ReloadStatus.class);

    private final Path file;

    ReloadStatus(Path stateDir) {
        this.file = in(stateDir);
    }

    static Path in(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    void reloaded() {
        write("ok " + Instant.now());
    }

    void refused(String why) {
        write("refused " + Instant.now() + "\n" + why);
    }

    private void write(String line) {
        try {
            Path partial = Files.createTempFile(file.getParent(), NAME, ".tmp");
            Files.writeString(partial, line + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}
