package org.popbridge.proxy.cli;

import java.io.Console;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The local password a legacy client will log in with, as the admin gives it to {@code popbridge
 * oauth}: from an environment variable, or typed twice on the terminal without echo. Never
 * printed.
 */
final class LocalPasswords {

    /** Where passwords are typed; {@link #readPassword} gives null at the end of input. */
    interface Terminal {
        char[] readPassword(String prompt);
    }

    private LocalPasswords() {
    }

    /** The process's console, if it has one (not when input or output is redirected). */
    static Optional<Terminal> console() {
        Console console = System.console();
        return console == null ? Optional.empty() : Optional.of(prompt -> console.readPassword("%s", prompt));
    }

    /** The password in environment variable {@code variable}. */
    static String fromEnvironment(String variable, UnaryOperator<String> environment) throws BadInputException {
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BadInputException("--password-env: '" + variable + "' is not an environment variable name");
        }
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new BadInputException("--password-env: the environment variable " + variable
                    + " is not set or empty; it must hold the local password");
        }
        return value;
    }

    /** The password typed twice on {@code terminal}; the two must match. */
    static String fromTerminal(Optional<Terminal> terminal, String user) throws BadInputException {
        Terminal typing = terminal.orElseThrow(() -> new BadInputException(
                "no terminal to ask for the password on; give it with --password-env VARIABLE"));
        char[] first = typing.readPassword("Local password for " + user + " (the legacy client's): ");
        if (first == null || first.length == 0) {
            throw new BadInputException("no password given; the legacy client needs one");
        }
        char[] second = null;
        try {
            second = typing.readPassword("Same password again: ");
            if (second == null || !Arrays.equals(first, second)) {
                throw new BadInputException("the two passwords differ; nothing was enrolled");
            }
            return new String(first);
        } finally {
            Arrays.fill(first, '\0');
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }
}
