package org.popbridge.proxy.core.upstream;

/**
 * How an administrator enrols a user again once the identity provider has stopped taking the
 * stored refresh token: the command to run, for the one log line that says so.
 *
 * @param configFile the config file the proxy runs with, as the command names it; "FILE" when unknown
 */
public record Enrolment(String configFile) {

    /** When the proxy was not started from a file the log can name. */
    public static final Enrolment UNKNOWN_FILE = new Enrolment("FILE");

    /** The command that enrols {@code user} (the name the client logs in with). */
    public String command(String user) {
        return "popbridge oauth login " + user + " --config " + configFile;
    }
}
