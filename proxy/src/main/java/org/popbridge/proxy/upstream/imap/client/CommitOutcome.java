package org.popbridge.proxy.upstream.imap.client;

/** What {@link ImapLink#commit} did to the messages the client deleted. */
public enum CommitOutcome {
    /** No message was deleted; the link only logged out. */
    NOTHING_TO_DELETE,
    /** Flagged \Deleted and removed with UID EXPUNGE: exactly those messages are gone. */
    EXPUNGED,
    /** Flagged \Deleted only (no UIDPLUS): they disappear when the server or a client expunges. */
    FLAGGED,
    /** Moved with UID MOVE to the fallback folder. */
    MOVED,
    /** Copied to the fallback folder and flagged \Deleted (no UIDPLUS, no MOVE). */
    COPIED_AND_FLAGGED
}
