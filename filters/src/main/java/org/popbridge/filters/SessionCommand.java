package org.popbridge.filters;

/**
 * A client command as a session filter sees it.
 *
 * @param keyword the command in upper case, such as {@code RETR}; for a line that is no command,
 *                its keyword alone, {@code <unrecognised line of N octets>}, or {@code ****} for a
 *                line that may be a SASL response
 * @param arguments its arguments with secrets replaced by {@code ****} (PASS, APOP, AUTH); empty
 *                  for a line that is no command
 * @param user the user name given so far, or null
 */
public record SessionCommand(String keyword, String arguments, String user) {

    /** The command as it would be logged: keyword and masked arguments. */
    @Override
    public String toString() {
        return arguments.isEmpty() ? keyword : keyword + " " + arguments;
    }
}
