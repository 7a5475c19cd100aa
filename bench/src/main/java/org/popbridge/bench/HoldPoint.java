package org.popbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pause while every session of the 1,000-session run is logged in, so bench/run.sh can
 * read the proxy's RSS and heap at that moment: the client writes DIR/NAME.hold and waits
 * (at most {@link #MAX_WAIT_MS}) for DIR/NAME.go.
 */
final class HoldPoint {

    static final long MAX_WAIT_MS = 60_000;

    private final Path dir;

    HoldPoint(Path dir) {
        this.dir = dir;
    }

    /** Returns how long the pause lasted, in nanoseconds; never longer than the bound. */
    long pause(String name, int openSessions) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path go = dir.resolve(name + ".go");
        Files.deleteIfExists(go);
        Path hold = dir.resolve(name + ".hold");
        Path tmp = dir.resolve(name + ".hold.tmp");
        Files.writeString(tmp, openSessions + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, hold, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
        while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(go)) {
            System.err.println("bench: nobody answered " + hold + " within " + MAX_WAIT_MS / 1000 + " s; going on");
        }
        Files.deleteIfExists(hold);
        Files.deleteIfExists(go);
        return System.nanoTime() - start;
    }
}
