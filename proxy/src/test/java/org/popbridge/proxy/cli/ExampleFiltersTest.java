package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.config.ExampleFiles;
import picocli.CommandLine;

/**
 * examples/filters.yaml, the sample mail, and the demo that runs them. Every test here but the
 * first needs the built-in filters (log, spam-tag, headers) registered on the class path.
 */
class ExampleFiltersTest {

    @TempDir
    Path dir;

    private static String execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PopbridgeCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        assertThat(err.toString()).as("stderr").isEmpty();
        assertThat(status).as("exit status").isZero();
        return out.toString();
    }

    /** The entry test-rules printed for {@code file}: from its name to the blank line that ends its headers. */
    private static String entry(String out, Path file) {
        int start = out.indexOf(file + ": ");
        assertThat(start).as("an entry for " + file).isNotNegative();
        int end = out.indexOf("\r\n\r\n", start);
        return out.substring(start, end + 4);
    }

    private static String headersOf(Path message) throws IOException {
        String text = Files.readString(message, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void theDemoShipsExactlyTheExampleFilters() throws IOException {
        byte[] shipped;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/" + DemoCommand.FILTERS)) {
            assertThat(in).as(DemoCommand.FILTERS).isNotNull();
            shipped = in.readAllBytes();
        }

        assertThat(new String(shipped, StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(ExampleFiles.find("examples/filters.yaml")));
    }

    @Test
    void theDemoLoadsItsFiltersThroughTheConfigLoader() throws Exception {
        assertThat(DemoCommand.demoConfig().filterChain().entries()).extracting(FilterChain.Entry::name)
                .containsExactly("log", "spam-tag", "headers", "headers", "sender-policy");
    }

    @Test
    void theSampleMailComesOutAsItsBodiesSay() throws IOException {
        Path mail = ExampleFiles.find("examples/mail");
        Path clean = mail.resolve("1-clean.eml");
        Path blocked = mail.resolve("2-blocked-sender.eml");
        Path flagged = mail.resolve("3-upstream-flagged.eml");
        Path trace = mail.resolve("4-internal-trace.eml");

        String out = execute("test-rules", "--config", ExampleFiles.find("examples/filters.yaml").toString(),
                clean.toString(), blocked.toString(), flagged.toString(), trace.toString());

        assertThat(entry(out, clean)).startsWith(clean + ": deliver").endsWith(headersOf(clean))
                .doesNotContain("[SPAM]");
        assertThat(entry(out, blocked)).startsWith(blocked + ": deliver")
                .contains("blocked-sender", "lottery", "\r\nSubject: [SPAM] You are this week's winner\r\n",
                        "\r\nX-Spam-Flag: YES\r\n");
        assertThat(entry(out, flagged)).startsWith(flagged + ": deliver")
                .contains("upstream-says-spam", "\r\nSubject: [SPAM] Special offers inside\r\n")
                .doesNotContain("blocked-sender");
        assertThat(entry(out, trace)).startsWith(trace + ": deliver")
                .contains("\r\nSubject: Nightly build passed\r\n")
                .doesNotContain("\r\nX-Internal-Trace:", "[SPAM]");
    }

    @Test
    void theDemoTagsMessages4And5AsItsHintsSay() throws IOException {
        List<String> args = new ArrayList<>(List.of("test-rules", "--config", ExampleFiles.find("examples/filters.yaml").toString()));
        List<Path> copies = new ArrayList<>();
        for (String name : List.of("1-welcome.eml", "2-dots.eml", "3-latin1.eml", "4-blocked-sender.eml",
                "5-upstream-flagged.eml")) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
                assertThat(in).as("demo/" + name).isNotNull();
                copies.add(Files.write(dir.resolve(name), in.readAllBytes()));
            }
        }
        copies.forEach(copy -> args.add(copy.toString()));

        String out = execute(args.toArray(String[]::new));

        Stream.of(0, 1, 2).forEach(i -> assertThat(entry(out, copies.get(i))).doesNotContain("[SPAM]"));
        Stream.of(3, 4).forEach(i -> assertThat(entry(out, copies.get(i))).contains("\r\nSubject: [SPAM] "));
    }
}
