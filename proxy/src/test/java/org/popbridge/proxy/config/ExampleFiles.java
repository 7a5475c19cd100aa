package org.popbridge.proxy.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's examples/ files from a test, which Surefire runs in the module directory. */
public final class ExampleFiles {

    private ExampleFiles() {
    }

    /** The file at {@code relative} (such as "examples/filters.yaml") in the nearest directory above that has it. */
    public static Path find(String relative) {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
