package org.popbridge.proxy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code popbridge reload}: sends SIGHUP to the popbridge whose pid file is in the state
 * directory (or given), waits for the outcome it writes and prints it, as {@code nginx -s
 * reload} does with its pid file, but saying whether the new settings were taken.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Make the running popbridge read its configuration again (SIGHUP) and say whether it took it.")
final class ReloadCommand implements Callable<Integer> {

    /** A reload builds certificates and binds listeners; 30 s is far more than that takes. */
    private static final long WAIT_MILLIS = 30_000;

    @ArgGroup(exclusive = true)
    Target target = new Target();

    static final class Target {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The running popbridge's state directory (its pid file is DIR/popbridge.pid). Default: ./popbridge-state.")
        Path stateDir;

        @Option(names = "--pid-file", paramLabel = "FILE",
                description = "A pid file naming the running popbridge (its state directory is the file's directory).")
        Path pidFile;
    }

    @Override
    public Integer call() throws InterruptedException {
        Path pidFile = target.pidFile != null ? target.pidFile
                : PidFile.in(target.stateDir != null ? target.stateDir : PopbridgeConfig.DEFAULT_STATE_DIR);
        Path stateDir = pidFile.toAbsolutePath().getParent();
        long pid;
        try {
            OptionalLong read = PidFile.read(pidFile);
            if (read.isEmpty()) {
                return ExitCodes.usage(pidFile + ": holds no process id");
            }
            pid = read.getAsLong();
        } catch (NoSuchFileException e) {
            return ExitCodes.usage(pidFile + ": no such file; is popbridge running with this state directory?");
        } catch (IOException e) {
            return ExitCodes.usage(pidFile + ": " + e.getMessage());
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return ExitCodes.failure("no process " + pid + " (from " + pidFile + "): popbridge is not running, "
                    + "or the pid file is stale");
        }
        // A stale file may name another program by now, and one written in a container names the
        // container's own numbering (often 1): never send HUP to a process that started at
        // another time than the one that wrote the file.
        Optional<Instant> recorded;
        try {
            recorded = PidFile.started(pidFile);
        } catch (IOException e) {
            return ExitCodes.usage(pidFile + ": " + e.getMessage());
        }
        Optional<Instant> actual = process.get().info().startInstant();
        if (recorded.isEmpty() || actual.isEmpty() || !recorded.get().equals(actual.get())) {
            return ExitCodes.failure("process " + pid + " is not the popbridge that wrote " + pidFile + " (it started "
                    + recorded.map(Instant::toString).orElse("at a time the file does not say") + ", process " + pid
                    + " " + actual.map(instant -> "at " + instant).orElse("at a time that cannot be read")
                    + "): the pid file is stale, or was written inside a container (there: docker kill --signal HUP)");
        }
        Path statusFile = ReloadStatus.in(stateDir);
        String before = status(statusFile);
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                return ExitCodes.failure("kill -HUP " + pid + " failed");
            }
        } catch (IOException e) {
            return ExitCodes.failure("cannot run kill -HUP " + pid + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            String now = status(statusFile);
            if (!now.isEmpty() && !now.equals(before)) {
                System.out.print(now);
                return now.startsWith("ok ") ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Thread.sleep(100);
        }
        return ExitCodes.failure("sent SIGHUP to " + pid + ", but no outcome in " + statusFile + " within "
                + WAIT_MILLIS / 1000 + " s; see popbridge's log (a popbridge started with SIGHUP ignored, as "
                + "under nohup, says so there at start, and cannot be reloaded)");
    }

    private static String status(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
