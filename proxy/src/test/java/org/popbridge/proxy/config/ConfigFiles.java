package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files as the config tests write them: popbridge.yaml in the test's directory, loaded as popbridge loads it. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("popbridge.yaml"), yaml);
    }

    static PopbridgeConfig load(Path dir, String yaml) throws Exception {
        return new ConfigLoader().load(write(dir, yaml));
    }

    /** Loading {@code yaml} fails with exactly "FILE:" followed by {@code expected} (line, key, problem). */
    static void assertMistake(Path dir, String yaml, String expected) throws IOException {
        Path file = write(dir, yaml);
        assertThatThrownBy(() -> new ConfigLoader().load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + expected);
    }
}
