package org.popbridge.proxy.core.upstream;

import java.util.Objects;

/**
 * How a POP3 session reads an IMAP upstream's mailbox: which folder is the maildrop, whether
 * RETR sets \Seen as a download would, what QUIT does on a server without UIDPLUS, and how
 * UIDLs are written.
 */
public record ImapOptions(String folder, boolean markSeen, CommitFallback withoutUidplus, UidlFormat uidlFormat) {

    public static final String DEFAULT_FOLDER = "INBOX";

    public ImapOptions {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(withoutUidplus, "withoutUidplus");
        Objects.requireNonNull(uidlFormat, "uidlFormat");
        if (folder.isEmpty()) {
            throw new IllegalArgumentException("the folder must not be empty");
        }
    }

    /** With popbridge's own UIDLs, {@code UIDVALIDITY.UID}. */
    public ImapOptions(String folder, boolean markSeen, CommitFallback withoutUidplus) {
        this(folder, markSeen, withoutUidplus, UidlFormat.DEFAULT);
    }

    /** INBOX, RETR marks \Seen, without UIDPLUS deleted messages are only flagged, popbridge's own UIDLs. */
    public static ImapOptions defaults() {
        return new ImapOptions(DEFAULT_FOLDER, true, CommitFallback.flagOnly());
    }
}
