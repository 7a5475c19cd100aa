package org.popbridge.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/**
 * The reload an admin does, on a real process: the file is edited, `popbridge reload
 * --state-dir DIR` signals the process and reports the outcome, a broken file is refused while
 * the process serves on, and SIGTERM ends it with status 0 (issue 13).
 */
class ReloadSignalTest {

    private static final Pattern LISTENING = Pattern.compile("listening on pop3://127\\.0\\.0\\.1:(\\d+)");
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
            try (StartedProxy started = StartedProxy.start(SIGHUP_AS_SYSTEMD_LEAVES_IT, config, stateDir)) {
                Process proxy = started.process();
                List<String> output = started.output();
                int port = started.listening().get(60, TimeUnit.SECONDS);
                started.running().get(60, TimeUnit.SECONDS);
                assertThat(Files.readAllLines(stateDir.resolve("popbridge.pid")).get(0))
                        .isEqualTo(Long.toString(proxy.pid()));
                assertThat(subjectThrough(port)).isEqualTo("Subject: from the first server");
                assertThat(output).noneMatch(line -> line.contains("SIGHUP is ignored"));

                Files.writeString(config, yaml(second.port()));
                Outcome reloaded = reload(stateDir);
                assertThat(reloaded.status()).as("%s%nproxy's output:%n%s", reloaded.output(),
                        String.join("\n", output)).isZero();
                assertThat(reloaded.output()).startsWith("ok ");
                assertThat(subjectThrough(port)).isEqualTo("Subject: from the second server");

                Files.writeString(config, yaml(first.port()) + "limits:\n  connections-per-ip: many\n");
                Outcome refused = reload(stateDir);
                assertThat(refused.status()).isEqualTo(1);
                assertThat(refused.output()).startsWith("refused ").contains(config + ":", "connections-per-ip");
                assertThat(output).anyMatch(line -> line.contains("ERROR") && line.contains("reload refused"));
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
            try (StartedProxy started = StartedProxy.start(List.of("nohup"), config, stateDir)) {
                started.running().get(60, TimeUnit.SECONDS);
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
        Process reload = java(List.of(), List.of("org.popbridge.proxy.cli.PopbridgeCommand", "reload", "--state-dir",
                stateDir.toString()));
        String output = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reload.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(reload.exitValue(), output);
    }

    /** {@code launcher} (a command that execs what follows it; empty for none), then java on the test classpath. */
    private static Process java(List<String> launcher, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** A popbridge process running {@code --config} with its output read as it comes; closing it kills it. */
    private record StartedProxy(Process process, List<String> output, CompletableFuture<Integer> listening,
                                CompletableFuture<Void> running, Thread reader) implements AutoCloseable {

        static StartedProxy start(List<String> launcher, Path config, Path stateDir) throws IOException {
            Process process = java(launcher, List.of("org.popbridge.proxy.cli.PopbridgeCommand",
                    "--config", config.toString(), "--state-dir", stateDir.toString()));
            List<String> output = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Integer> listening = new CompletableFuture<>();
            CompletableFuture<Void> running = new CompletableFuture<>();
            Thread reader = new Thread(() -> readOutput(process, output, listening, running), "proxy-output");
            reader.start();
            return new StartedProxy(process, output, listening, running, reader);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            reader.join(10_000);
        }
    }

    /** Collects the proxy's output (so its pipe never fills): the port it listens on, and once it runs (pid file written). */
    private static void readOutput(Process proxy, List<String> output, CompletableFuture<Integer> port,
                                   CompletableFuture<Void> running) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                }
                if (line.contains(RUNNING)) {
                    running.complete(null);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        port.completeExceptionally(new AssertionError("proxy exited before listening: " + output));
        running.completeExceptionally(new AssertionError("proxy exited before running: " + output));
    }
}
