package org.popbridge.proxy.core.session;

/** The innermost cause of a failure, described in one line for the session log. */
public final class RootCause {

    private RootCause() {
    }

    /**
     * Its class and message, such as "SSLHandshakeException: no cipher suites in common", escaped
     * as {@link LogText} does: a message may quote what a client or a server sent.
     */
    public static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return LogText.of(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()))
                .toString();
    }
}
