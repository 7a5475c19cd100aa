package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.config.ConfigFiles.assertMistake;
import static org.popbridge.proxy.config.ConfigFiles.load;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logging: block: what binds, the defaults, and each mistake named with its line and key. */
class LoggingConfigTest {

    @TempDir
    Path dir;

    @Test
    void everyKeyBinds() throws Exception {
        PopbridgeConfig config = load(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  level: DEBUG
                  format: json
                  file: /var/log/popbridge/popbridge.log
                  max-file-size: 10MB
                  max-history: 30
                """);

        assertThat(config.logging()).isEqualTo(new LoggingConfig(LogLevel.DEBUG, LogFormat.JSON,
                Path.of("/var/log/popbridge/popbridge.log"), 10L << 20, 30));
    }

    @Test
    void withoutTheBlockTheLogIsTextOnStandardOutputAtTheEnvironmentsLevel() throws Exception {
        PopbridgeConfig config = load(dir, "upstream: pop3s://mail.example.com\n");

        assertThat(config.logging()).isEqualTo(LoggingConfig.defaults());
        assertThat(config.logging().level()).isNull();
        assertThat(config.logging().standardText()).isTrue();
        assertThat(PopbridgeConfig.defaults().logging()).isEqualTo(LoggingConfig.defaults());
    }

    @Test
    void aFileRollsAt100MbAndKeeps14DaysUnlessTold() throws Exception {
        LoggingConfig logging = load(dir, """
                upstream: pop3s://mail.example.com
                logging: {file: popbridge.log}
                """).logging();

        assertThat(logging.maxFileSize()).isEqualTo(100L << 20);
        assertThat(logging.maxHistory()).isEqualTo(14);
        assertThat(logging.format()).isEqualTo(LogFormat.TEXT);
        assertThat(logging.standardText()).isFalse();
    }

    @Test
    void anUnknownFormatIsNamedWithItsLine() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  level: info
                  format: xml
                """, "4: key 'logging.format': unknown log format 'xml' (known: text, json)");
    }

    @Test
    void anUnknownLevelIsNamedWithItsLine() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  level: verbose
                """, "3: key 'logging.level': unknown log level 'verbose' (known: error, warn, info, debug, trace)");
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  rotate: daily
                """, "3: key 'logging.rotate': unknown key (known here: file, format, level, max-file-size, max-history)");
    }

    @Test
    void rollingSettingsWithoutAFileAreRefused() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  max-history: 7
                """, "3: key 'logging.max-history': only with file: (standard output does not roll over)");
    }

    @Test
    void aTinyOrMalformedFileSizeIsRefused() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  file: popbridge.log
                  max-file-size: 100B
                """, "4: key 'logging.max-file-size': must be at least 1KB, got 100B");
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  file: popbridge.log
                  max-file-size: lots
                """, "4: key 'logging.max-file-size': not a size: 'lots' (use e.g. 256KB, 64MB, 1GB, or a number of octets)");
    }

    @Test
    void noDaysOfHistoryIsRefused() throws Exception {
        assertMistake(dir, """
                upstream: pop3s://mail.example.com
                logging:
                  file: popbridge.log
                  max-history: 0
                """, "4: key 'logging.max-history': must be at least 1 (day), got 0");
    }
}
