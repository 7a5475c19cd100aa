package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code popbridge --version}: the version and the commit the build came from. */
class VersionTest {

    private static final Pattern LINE = Pattern.compile(
            "popbridge (\\d+\\.\\d+\\.\\d+(?:-SNAPSHOT)?) \\(commit ([0-9a-f]{7,40})(\\+changes)?\\)");

    @Test
    void versionPrintsTheProjectVersionAndTheCommitOfThisCheckout() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(new PopbridgeCommand());
        commandLine.setOut(new PrintWriter(out, true));

        int status = commandLine.execute("--version");

        assertThat(status).isZero();
        Matcher line = LINE.matcher(out.toString().strip());
        assertThat(line.matches()).as("--version printed %s", out).isTrue();
        // In a linked worktree (.git is a file) the plugin names the main checkout's HEAD: see proxy/pom.xml.
        assumeTrue(Files.isDirectory(Path.of("..", ".git")), "not built in a plain git clone");
        String head = gitHead();
        assumeTrue(head != null, "no git to ask");
        assertThat(head).startsWith(line.group(2));
    }

    @Test
    void aBuildOutsideGitSaysCommitUnknown() {
        Properties tarball = new Properties();
        tarball.setProperty("git.build.version", "0.3.0");

        assertThat(BuildVersion.of(tarball).describe()).isEqualTo("popbridge 0.3.0 (commit unknown)");
    }

    @Test
    void aBuildWithUncommittedChangesSaysSo() {
        Properties dirty = new Properties();
        dirty.setProperty("git.build.version", "0.3.0");
        dirty.setProperty("git.commit.id.abbrev", "1a2b3c4");
        dirty.setProperty("git.dirty", "true");

        assertThat(BuildVersion.of(dirty).describe()).isEqualTo("popbridge 0.3.0 (commit 1a2b3c4+changes)");
    }

    /** The commit the tests run in, or null where there is no git. */
    private static String gitHead() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
