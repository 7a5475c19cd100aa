package org.popbridge.proxy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code popbridge.pid} in the state directory: the running proxy's process id, written once
 * it listens and removed when it stops, so that {@code popbridge reload} (and an init system
 * without $MAINPID) can find it. The first line is the id alone, as init systems read it; the
 * second says when the process started, so that a stale file whose id now names another
 * process, or a file written inside a container (whose ids are not the host's), is never
 * taken for this process.
 */
final class PidFile {

    static final String NAME = "popbridge.pid";

    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path file;
    private final long pid;

    private PidFile(Path file, long pid) {
        this.file = file;
        this.pid = pid;
    }

    static Path in(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    /**
     * Writes this process's id, replacing the file whole (a reader never sees half of it). A
     * failure is logged and the proxy runs on: SIGHUP still reloads it.
     */
    static PidFile write(Path stateDir) {
        PidFile pidFile = new PidFile(in(stateDir), ProcessHandle.current().pid());
        try {
            Files.createDirectories(stateDir);
            Path partial = Files.createTempFile(stateDir, NAME, ".tmp");
            String started = ProcessHandle.current().info().startInstant().map(instant -> "started " + instant + "\n")
                    .orElse("");
            Files.writeString(partial, pidFile.pid + "\n" + started, StandardCharsets.US_ASCII);
            Files.move(partial, pidFile.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot write {}: {}; `popbridge reload` will not find this process (SIGHUP still reloads it)",
                    pidFile.file, e.getMessage());
        }
        return pidFile;
    }

    /** The id in the file, if it holds one. */
    static OptionalLong read(Path file) throws IOException {
        return read(Files.readAllLines(file, StandardCharsets.US_ASCII));
    }

    private static OptionalLong read(List<String> lines) {
        try {
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** When the process named in the file started, if the file says. */
    static Optional<Instant> started(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.size() < 2 || !lines.get(1).startsWith("started ")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(lines.get(1).substring("started ".length()).trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Removes the file if it still names this process (another may have started since on the same state directory). */
    void remove() {
        try {
            if (Files.exists(file) && read(file).orElse(-1) == pid) {
                Files.delete(file);
            }
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }
}
