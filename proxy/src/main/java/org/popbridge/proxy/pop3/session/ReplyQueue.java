package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * The commands a session has sent to its upstream, oldest first, and the delivery of their
 * replies to the head command's handler. Replies come in the order the commands were sent
 * (RFC 2449 section 6.6), framed as on the wire: a status line, then for a +OK that has one a
 * body and its end. While a filter decides on a message the session suspends delivery; pieces
 * that arrive meanwhile are held in order and handed on when it resumes. Every upstream adapter
 * uses this one queue: the POP3 relay puts what it decodes, adapters that answer themselves
 * (IMAP, the router) put what they compose with {@link #ok}, {@link #err} and the body methods.
 */
public final class ReplyQueue {

    /** Tells the adapter that the head command has been answered completely and left the queue. */
    public interface Answered {
        void answered(PendingCommand command);
    }

    private final Deque<PendingCommand> commands = new ArrayDeque<>();
    private final Deque<Object> held = new ArrayDeque<>();
    private final Answered answered;
    private int barriers;
    private boolean suspended;
    private boolean closed;
    /** The head's +OK of a multi-line reply was handed on and its end not yet: a cut now must show. */
    private boolean midReply;

    public ReplyQueue(Answered answered) {
        this.answered = answered;
    }

    // ---- the commands

    public void add(PendingCommand command) {
        commands.addLast(command);
        if (command.barrier()) {
            barriers++;
        }
    }

    public boolean isEmpty() {
        return commands.isEmpty();
    }

    /** Whether a command that may change the session state is not yet answered. */
    public boolean barrierPending() {
        return barriers > 0;
    }

    // ---- replies as the wire frames them

    /** A status line for the head command: it ends the reply unless it opens a body or asks for more. */
    public void status(StatusLine status) {
        put(status);
    }

    /** Body octets of the head's reply, as the mailbox holds them (unstuffed); the queue owns {@code chunk}. */
    public void content(ContentChunk chunk) {
        put(chunk);
    }

    /** The end of the head's multi-line reply. */
    public void end() {
        put(EndOfMultiline.INSTANCE);
    }

    // ---- replies composed by an adapter that answers itself

    public void ok(String text) {
        status(StatusLine.ok(text));
    }

    public void err(String text) {
        status(StatusLine.err(text));
    }

    /** "+ text": the command goes on with the client's next line (RFC 5034 section 4). */
    public void continuation(String text) {
        status(new StatusLine(StatusLine.Status.CONTINUATION, text));
    }

    /** A +OK with a body of whole lines, each written with CRLF. */
    public void multiline(String text, List<String> lines, ByteBufAllocator alloc) {
        ok(text);
        if (!lines.isEmpty()) {
            StringBuilder body = new StringBuilder();
            lines.forEach(line -> body.append(line).append("\r\n"));
            ByteBuf content = alloc.buffer(body.length());
            content.writeCharSequence(body, StandardCharsets.ISO_8859_1);
            content(new ContentChunk(content));
        }
        end();
    }

    // ---- hold and replay

    public boolean midReply() {
        return midReply;
    }

    public void suspend() {
        suspended = true;
    }

    public boolean suspended() {
        return suspended;
    }

    /** Hands on what was held, oldest first, until done or suspended again; returns whether it is suspended again. */
    public boolean resume() {
        suspended = false;
        while (!suspended && !closed && !held.isEmpty()) {
            deliver(held.removeFirst());
        }
        return suspended;
    }

    /** Nothing more is delivered; what is held is released. */
    public void close() {
        closed = true;
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.removeFirst());
        }
    }

    private void put(Object piece) {
        if (closed) {
            ReferenceCountUtil.release(piece);
        } else if (suspended || !held.isEmpty()) {
            held.addLast(piece);
        } else {
            deliver(piece);
        }
    }

    private void deliver(Object piece) {
        PendingCommand head = commands.peekFirst();
        if (head == null) {
            ReferenceCountUtil.release(piece);
            throw new IllegalStateException("a reply with no command awaiting it");
        }
        if (piece instanceof StatusLine status) {
            boolean body = status.isOk() && head.multilineOnOk();
            midReply = body;
            head.handler().onStatus(status);
            if (!body && status.status() != StatusLine.Status.CONTINUATION) {
                finishHead();
            }
        } else if (piece instanceof ContentChunk chunk) {
            head.handler().onContent(chunk);
        } else {
            midReply = false;
            head.handler().onEnd();
            finishHead();
        }
    }

    private void finishHead() {
        PendingCommand head = commands.removeFirst();
        if (head.barrier()) {
            barriers--;
        }
        answered.answered(head);
    }
}
