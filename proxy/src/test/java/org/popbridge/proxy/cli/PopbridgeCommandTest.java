package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What an operator sees when popbridge refuses to start: exit status 2 and one line naming the problem. */
class PopbridgeCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String err) {
    }

    /** Runs only command lines that fail before anything is started; a valid one would block. */
    private static Run execute(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream original = System.err;
        System.setErr(err);
        try {
            CommandLine commandLine = new CommandLine(new PopbridgeCommand());
            commandLine.setErr(new PrintWriter(err, true));
            int status = commandLine.execute(args);
            return new Run(status, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void noUpstreamAndNoFileExitsWithStatus2() {
        Run run = execute("--listen", "pop3://127.0.0.1:0");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: no upstream: give --upstream URL" + System.lineSeparator());
    }

    @Test
    void aBadListenUrlExitsWithStatus2AndNamesTheFlag() {
        Run run = execute("--upstream", "pop3s://mail.example.com", "--listen", "http://127.0.0.1:8080");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("popbridge: --listen: unknown listener scheme 'http' (use pop3://, pop3s://, smtp:// or smtps://)");
    }

    @Test
    void anUnknownOptionExitsWithStatus2AndNamesIt() {
        Run run = execute("--upstrem", "pop3s://mail.example.com");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown options: '--upstrem', 'pop3s://mail.example.com'")
                .contains("Possible solutions: --upstream");
    }

    @Test
    void anOptionWithoutItsValueExitsWithStatus2() {
        Run run = execute("--upstream");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--upstream");
    }

    @Test
    void aBrokenConfigFileExitsWithStatus2AndNamesFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("popbridge.yaml"), """
                upstream: pop3s://mail.example.com
                limits:
                  idle-timeout: ten minutes
                """);

        Run run = execute("--config", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: " + file
                + ":3: key 'limits.idle-timeout': not a duration: 'ten minutes' (use e.g. 50us, 500ms, 30s, 10m, 1h)"
                + System.lineSeparator());
    }

    @Test
    void aMissingConfigFileExitsWithStatus2() {
        Path missing = dir.resolve("missing.yaml");

        Run run = execute("--config", missing.toString(), "--upstream", "pop3s://mail.example.com");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void anUnknownLogFormatExitsWithStatus2AndNamesTheFormats() {
        Run run = execute("--upstream", "pop3s://mail.example.com", "--log-format", "xml");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: --log-format: unknown log format 'xml' (known: text, json)"
                + System.lineSeparator());
    }

    @Test
    void anUnknownLogLevelExitsWithStatus2AndNamesTheLevels() {
        Run run = execute("--upstream", "pop3s://mail.example.com", "--log-level", "loud");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: --log-level: unknown log level 'loud' (known: error, warn, info, "
                + "debug, trace)" + System.lineSeparator());
    }

    @Test
    void aBadLoggingKeyInTheFileExitsWithStatus2AndNamesFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("popbridge.yaml"), """
                upstream: pop3s://mail.example.com
                logging:
                  format: yaml
                """);

        Run run = execute("--config", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("popbridge: " + file
                + ":3: key 'logging.format': unknown log format 'yaml' (known: text, json)" + System.lineSeparator());
    }
}
