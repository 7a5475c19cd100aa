package org.popbridge.proxy.cli;

/**
 * What a command was given is wrong (a user no oauth2 server takes, a missing password
 * variable, passwords that differ): nothing was done, and the command exits 2 with the message.
 */
final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
