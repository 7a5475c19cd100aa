package org.popbridge.proxy.config;

import java.nio.file.Path;

/**
 * One thing wrong with a config file, where it is: "FILE:LINE: key 'KEY': PROBLEM".
 *
 * @param line the line of the setting at fault, or -1 if it is not written in the file
 * @param key the setting, as "routes[1].upstream.ca", or null for the file as a whole
 */
public record ConfigProblem(Path file, int line, String key, String problem) {

    /** The problem as load errors are told. */
    @Override
    public String toString() {
        return ConfigMessages.describe(file, line, key, problem);
    }
}
