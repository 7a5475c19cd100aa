package org.popbridge.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyProcess;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * The reload an admin does, on a real process: the file is edited, `popbridge reload
 * --state-dir DIR` signals the process and reports the outcome, a broken file is refused while
 * the process serves on, and SIGTERM ends it with status 0 (issue 13).
 */
class ReloadSignalTest {

    private static final String RUNNING = "running as pid ";
    /**
     * The proxy starts with SIGHUP at its default, as systemd or a container starts it, whatever
     * this JVM inherited: a build run under nohup passes SIGHUP on ignored, and so would every
     * child (GNU env, coreutils 8.31 and later).
     */
    private static final List<String> SIGHUP_AS_SYSTEMD_LEAVES_IT = List.of("env", "--default-signal=HUP");

    @TempDir
    Path dir;

    @Test
    void anEditedFileIsTakenOnReloadABrokenOneIsRefusedAndSigtermExitsZero() throws Exception {
        Path stateDir = dir.resolve("state");
        Path config = dir.resolve("popbridge.yaml");
        try (ScriptedPop3Server first = mailbox("from the first server");
             ScriptedPop3Server second = mailbox("from the second server")) {
            Files.writeString(config, yaml(first.port()));
            try (ProxyProcess started = start(SIGHUP_AS_SYSTEMD_LEAVES_IT, config, stateDir)) {
                Process proxy = started.process();
                int port = started.port();
                started.awaitLine(RUNNING);
                assertThat(Files.readAllLines(stateDir.resolve("popbridge.pid")).get(0))
                        .isEqualTo(Long.toString(proxy.pid()));
                assertThat(subjectThrough(port)).isEqualTo("Subject: from the first server");
                assertThat(started.output()).noneMatch(line -> line.contains("SIGHUP is ignored"));

                Files.writeString(config, yaml(second.port()));
                Outcome reloaded = reload(stateDir);
                assertThat(reloaded.status()).as("%s%nproxy's output:%n%s", reloaded.output(),
                        String.join("\n", started.output())).isZero();
                assertThat(reloaded.output()).startsWith("ok ");
                assertThat(subjectThrough(port)).isEqualTo("Subject: from the second server");

                Files.writeString(config, yaml(first.port()) + "limits:\n  connections-per-ip: many\n");
                Outcome refused = reload(stateDir);
                assertThat(refused.status()).isEqualTo(1);
                assertThat(refused.output()).startsWith("refused ").contains(config + ":", "connections-per-ip");
                assertThat(started.output()).anyMatch(line -> line.contains("ERROR") && line.contains("reload refused"));
                assertThat(proxy.isAlive()).isTrue();
                assertThat(subjectThrough(port)).as("the running settings stay in force")
                        .isEqualTo("Subject: from the second server");

                proxy.destroy(); // SIGTERM
                assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(proxy.exitValue()).as("exit status after SIGTERM").isZero();
                assertThat(stateDir.resolve("popbridge.pid")).doesNotExist();
            }
        }
    }

    /**
     * A process started with SIGHUP ignored (nohup, or a parent that ignores it) keeps it ignored,
     * and the JVM then installs no handler for it: the log says at start that no reload can come.
     */
    @Test
    void startedUnderNohupTheLogSaysNoReloadCanReachIt() throws Exception {
        Path stateDir = dir.resolve("state");
        Path config = dir.resolve("popbridge.yaml");
        try (ScriptedPop3Server mailbox = mailbox("from the server")) {
            Files.writeString(config, yaml(mailbox.port()));
            try (ProxyProcess started = start(List.of("nohup"), config, stateDir)) {
                started.awaitLine(RUNNING);
                assertThat(started.output()).anyMatch(line -> line.contains("WARN")
                        && line.contains("SIGHUP is ignored") && line.contains("nohup"));
            }
        }
    }

    @Test
    void reloadWithoutARunningPopbridgeSaysSo() throws Exception {
        Outcome noPidFile = reload(dir);
        assertThat(noPidFile.status()).isEqualTo(2);
        assertThat(noPidFile.output()).contains("popbridge.pid: no such file");
    }

    @Test
    void reloadNeverSignalsAProcessThatIsNotPopbridge() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            java.nio.file.Files.writeString(dir.resolve("popbridge.pid"), other.pid() + "\n");
            Outcome refused = reload(dir);
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.output()).contains("is not the popbridge that wrote", "the pid file is stale");
            assertThat(other.isAlive()).as("no SIGHUP reached it").isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    private static ScriptedPop3Server mailbox(String subject) throws IOException {
        return new ScriptedPop3Server("alice", "pw", List.of(MessageSource.of("Subject: " + subject + "\r\n\r\nbody\r\n")));
    }

    private static String yaml(int upstreamPort) {
        return """
                listen: [pop3://127.0.0.1:0]
                upstream: pop3://127.0.0.1:%d
                """.formatted(upstreamPort);
    }

    private static String subjectThrough(int port) throws Exception {
        try (RawPop3Client client = RawPop3Client.plain(port)) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "pw");
            RawPop3Client.expectOk(client.command("RETR 1"));
            String message = new String(client.readBody(), StandardCharsets.ISO_8859_1);
            RawPop3Client.expectOk(client.command("QUIT"));
            return message.lines().findFirst().orElseThrow();
        }
    }

    private record Outcome(int status, String output) {
    }

    private static Outcome reload(Path stateDir) throws Exception {
        Process reload = ProxyProcess.launch(List.of(), List.of(), List.of("reload", "--state-dir", stateDir.toString()));
        String output = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reload.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(reload.exitValue(), output);
    }

    /** popbridge on {@code config}, after {@code launcher} (a command that execs what follows it). */
    private static ProxyProcess start(List<String> launcher, Path config, Path stateDir) throws IOException {
        return ProxyProcess.start(launcher, List.of(), List.of("--config", config.toString(), "--state-dir",
                stateDir.toString()));
    }
}
