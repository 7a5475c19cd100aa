package org.popbridge.proxy.upstream.imap.client;

/**
 * An {@link ImapLink} operation that failed. The message names the command and the
 * server's condition, never a command's arguments: they may hold a password.
 */
public final class ImapLinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ImapFailure failure;

    public ImapLinkException(ImapFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public ImapLinkException(ImapFailure failure, String message) {
        this(failure, message, null);
    }

    public ImapFailure failure() {
        return failure;
    }
}
