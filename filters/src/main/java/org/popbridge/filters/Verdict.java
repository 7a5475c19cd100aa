package org.popbridge.filters;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A filter's answer for one message: what to do with it, and what it found, in words an
 * operator reads in the log and in {@code popbridge test-rules}.
 */
public record Verdict(Action action, List<String> findings) {

    /** What becomes of the message. */
    public enum Action {
        /** The client gets the message, with whatever edits the filter made to its headers. */
        DELIVER,
        /** The client never sees the message; it stays untouched upstream. */
        HIDE,
        /**
         * The message does not pass: a message being sent is not sent (the client gets 550 5.7.1
         * with the reason), one being read is refused to RETR and TOP. The first finding is the reason.
         */
        REFUSE
    }

    public Verdict {
        Objects.requireNonNull(action, "action");
        findings = List.copyOf(findings);
    }

    /** Deliver, nothing to report. */
    public static Verdict deliver() {
        return new Verdict(Action.DELIVER, List.of());
    }

    /** Deliver, with what the filter found or did. */
    public static Verdict deliver(String finding) {
        return new Verdict(Action.DELIVER, List.of(finding));
    }

    /** Hide from the client, with the reason. */
    public static Verdict hide(String reason) {
        return new Verdict(Action.HIDE, List.of(reason));
    }

    /** Refuse the message, with a reason the client sees: one line, no secrets. */
    public static Verdict refuse(String reason) {
        if (reason.isBlank() || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a reason is one line of text");
        }
        return new Verdict(Action.REFUSE, List.of(reason));
    }

    /** This verdict as a completed stage, for filters that decide at once. */
    public CompletionStage<Verdict> now() {
        return CompletableFuture.completedFuture(this);
    }
}
