package org.popbridge.proxy.pop3.session;

import java.util.ArrayDeque;
import java.util.Deque;
import org.popbridge.proxy.pop3.ReplyFraming;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * The commands sent upstream, oldest first. Replies arrive in the same order (RFC 2449
 * section 6.6), so the head is what the next reply answers; it also tells the reply
 * decoder whether that reply is multi-line.
 */
final class InFlightCommands implements ReplyFraming {

    private final Deque<PendingCommand> commands = new ArrayDeque<>();
    /**
     * The commands whose replies the decoder has not finished reading. The decoder may be ahead
     * of the handlers: while a filter decides, replies already read wait undispatched.
     */
    private final Deque<PendingCommand> unframed = new ArrayDeque<>();
    private int barriers;

    void add(PendingCommand command) {
        commands.addLast(command);
        unframed.addLast(command);
        if (command.barrier()) {
            barriers++;
        }
    }

    PendingCommand head() {
        return commands.peekFirst();
    }

    PendingCommand removeHead() {
        PendingCommand head = commands.removeFirst();
        if (head.barrier()) {
            barriers--;
        }
        return head;
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    boolean barrierPending() {
        return barriers > 0;
    }

    @Override
    public boolean awaitingReply() {
        return !unframed.isEmpty();
    }

    @Override
    public boolean isMultiline(StatusLine.Status status) {
        return status == StatusLine.Status.OK && unframed.peekFirst().multilineOnOk();
    }

    @Override
    public void replyComplete() {
        unframed.pollFirst();
    }
}
