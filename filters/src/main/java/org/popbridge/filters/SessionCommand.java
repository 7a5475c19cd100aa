package org.popbridge.filters;

/**
 * A client command as a session filter sees it.
 *
 * @param keyword the command in upper case, such as {@code RETR}
 * @param arguments its arguments with secrets replaced by {@code ****} (PASS, APOP, AUTH)
 * @param user the user name given so far, or null
 */
public record SessionCommand(String keyword, String arguments, String user) {

    /** The command as it would be logged: keyword and masked arguments. */
    @Override
    public String toString() {
        return arguments.isEmpty() ? keyword : keyword + " " + arguments;
    }
}
