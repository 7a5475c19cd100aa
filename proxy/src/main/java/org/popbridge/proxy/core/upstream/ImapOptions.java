package org.popbridge.proxy.core.upstream;

import java.util.Objects;

/**
 * How a POP3 session reads an IMAP upstream's mailbox: which folder is the maildrop, whether
 * RETR sets \Seen as a download would, and what QUIT does on a server without UIDPLUS.
 */
public record ImapOptions(String folder, boolean markSeen, CommitFallback withoutUidplus) {

    public static final String DEFAULT_FOLDER = "INBOX";

    public ImapOptions {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(withoutUidplus, "withoutUidplus");
        if (folder.isEmpty()) {
            throw new IllegalArgumentException("the folder must not be empty");
        }
    }

    /** INBOX, RETR marks \Seen, and without UIDPLUS deleted messages are only flagged. */
    public static ImapOptions defaults() {
        return new ImapOptions(DEFAULT_FOLDER, true, CommitFallback.flagOnly());
    }
}
