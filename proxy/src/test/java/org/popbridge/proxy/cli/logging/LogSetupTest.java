package org.popbridge.proxy.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.LogLevel;
import org.popbridge.proxy.config.LoggingConfig;
import org.popbridge.proxy.testing.RenderedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logback as popbridge reconfigures it at start: the level, the format, and a file that rolls. */
class LogSetupTest {

    private static final Logger log = LoggerFactory.getLogger("org.popbridge.test.LogSetupTest");

    @TempDir
    Path dir;

    /** Back to logback.xml, as every other test expects it. */
    @AfterEach
    void restoreLogbackXml() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void theTextFormatIsLogbackXmlsOwnPattern() throws IOException {
        try (InputStream xml = LogSetupTest.class.getResourceAsStream("/logback.xml")) {
            String configured = new String(xml.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(configured).contains("<pattern>" + LogEncoders.TEXT_PATTERN.replace("%n", "%n</pattern>"));
        }
    }

    @Test
    void theFileGetsTheLinesAndRollsOverAtItsSize() throws Exception {
        Path file = dir.resolve("logs/popbridge.log");
        LogSetup.apply(new LoggingConfig(LogLevel.INFO, LogFormat.JSON, file, 1024, 2));

        for (int i = 0; i < 200; i++) {
            log.info("line {} of a log that must roll over", i);
        }
        log.debug("below the level");

        // Rolled files are compressed in the background, through a temporary file each.
        List<Path> rolled = besideOnceCompressed(file);
        assertThat(rolled).as("rolled files beside %s", file).isNotEmpty()
                .allSatisfy(path -> assertThat(path.getFileName().toString()).matches("popbridge-\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz"));
        // Rolled files are compressed in the background; the live file is written as lines come.
        List<String> current = Files.readAllLines(file);
        assertThat(current).isNotEmpty().allSatisfy(line -> {
            JsonNode json = RenderedLog.parse(line);
            assertThat(json.path("level").asText()).isEqualTo("INFO");
        });
        assertThat(current.get(current.size() - 1)).contains("line 199 of a log");
        assertThat(Files.size(file)).isLessThan(2048);
        // Every line is in exactly one file: none was lost to a rollover or to the clean-up of
        // old files (Logback's own remover once deleted the day's first archives under load).
        List<String> messages = new ArrayList<>();
        for (Path archive : rolled) {
            awaitComplete(archive);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(LogSetupTest::message).forEach(messages::add);
            }
        }
        current.stream().map(LogSetupTest::message).forEach(messages::add);
        assertThat(messages).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 200).mapToObj(i -> "line " + i + " of a log that must roll over").toList());
        assertThat(String.join("\n", current)).doesNotContain("below the level");
    }

    @Test
    void filesOlderThanMaxHistoryGoAtStartAndTheRecentOnesStay() throws Exception {
        Path file = dir.resolve("popbridge.log");
        LocalDate today = LocalDate.now();
        Path old = dir.resolve("popbridge-" + today.minusDays(3) + ".0.log.gz");
        Path kept = dir.resolve("popbridge-" + today.minusDays(2) + ".0.log.gz");
        Path unrelated = dir.resolve("popbridge-" + today.minusDays(30) + ".0.log");
        for (Path path : List.of(old, kept, unrelated)) {
            Files.writeString(path, "x");
        }

        LogSetup.apply(new LoggingConfig(LogLevel.INFO, LogFormat.JSON, file, 1024 * 1024, 2));

        for (int attempt = 0; attempt < 100 && Files.exists(old); attempt++) {
            Thread.sleep(50);
        }
        assertThat(old).as("three days old, max-history 2").doesNotExist();
        assertThat(kept).exists();
        assertThat(unrelated).as("not a rolled file").exists();
    }

    private static String message(String jsonLine) {
        return RenderedLog.parse(jsonLine).path("formattedMessage").asText();
    }

    /** The files beside {@code file}, once no compression is in progress (up to 10 s). */
    private static List<Path> besideOnceCompressed(Path file) throws IOException, InterruptedException {
        List<Path> beside = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Stream<Path> files = Files.list(file.getParent())) {
                beside = files.filter(path -> !path.equals(file)).sorted().toList();
            }
            if (beside.stream().noneMatch(path -> path.getFileName().toString().endsWith(".tmp"))) {
                return beside;
            }
            Thread.sleep(100);
        }
        return beside;
    }

    @Test
    void theLevelAloneKeepsLogbackXmlsAppender() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        LogSetup.apply(LoggingConfig.defaults().withLevel(LogLevel.WARN));

        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDOUT")).as("logback.xml's console appender").isNotNull();
        assertThat(root.getAppender(LogSetup.APPENDER)).isNull();
    }

    @Test
    void jsonOnStandardOutputReplacesTheTextAppender() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        LogSetup.apply(LoggingConfig.defaults().withFormat(LogFormat.JSON));

        assertThat(root.getAppender("STDOUT")).isNull();
        assertThat(root.getAppender(LogSetup.APPENDER)).isNotNull();
    }

    @Test
    void aFileThatCannotBeWrittenIsAConfigErrorAndTheOldOutputStays() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThatThrownBy(() -> LogSetup.apply(LoggingConfig.defaults().withFile(notADirectory.resolve("p.log"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("logging.file: cannot write " + notADirectory.resolve("p.log") + ": ");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNotNull();
    }

    /** Compression runs on Logback's executor; wait (bounded) until the gzip trailer is there. */
    private static void awaitComplete(Path gz) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                in.readAllBytes();
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
    }
}
