package org.popbridge.filters;

/** What a filter that throws or overruns its time budget does to the message. */
public enum FailurePolicy {
    /** The filter is skipped for that message, its edits dropped; the message goes through (the default). */
    OPEN,
    /** The client gets -ERR for that RETR or TOP; nothing changes upstream. */
    CLOSED
}
