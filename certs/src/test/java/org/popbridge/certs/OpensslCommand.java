package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line in a directory; a test that calls it is skipped where openssl is not installed. */
final class OpensslCommand {

    private OpensslCommand() {
    }

    /** Runs {@code openssl args...} in {@code dir}, asserts it succeeded, returns stdout and stderr together. */
    static String run(Path dir, String... args) throws Exception {
        Process process = start(dir, args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", args[0], output).isZero();
        return output;
    }

    /** Runs {@code openssl args...} in {@code dir} and returns whether it succeeded, for optional features. */
    static boolean succeeds(Path dir, String... args) throws Exception {
        Process process = start(dir, args);
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** What {@code openssl x509 -fingerprint -DIGEST} prints after the '='. */
    static String fingerprint(Path dir, String certFile, String digest) throws Exception {
        String output = run(dir, "x509", "-in", certFile, "-noout", "-fingerprint", "-" + digest).strip();
        return output.substring(output.indexOf('=') + 1);
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed");
            throw e;
        }
    }
}
