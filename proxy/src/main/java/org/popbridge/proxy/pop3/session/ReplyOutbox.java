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
 * Where an upstream that answers POP3 commands itself (translating them, or before it knows
 * where to route them) writes the reply to the command at the head of the session's queue:
 * status line, body pieces, end. Pieces reach the command's handler at once, or are held in
 * order while the session has replies suspended (a filter is deciding).
 */
public final class ReplyOutbox {

    /** Tells the upstream that the head command's reply has been handed on completely. */
    public interface Answered {
        void answered(PendingCommand command);
    }

    /** Marks the end of a reply, after its last piece. */
    private enum Finished { INSTANCE }

    private final Deque<PendingCommand> commands;
    private final ByteBufAllocator alloc;
    private final Answered answered;
    private final Deque<Object> held = new ArrayDeque<>();
    private boolean suspended;
    private boolean closed;
    /** A multi-line reply has begun and not ended: cutting now must show the client a cut. */
    private boolean midReply;

    public ReplyOutbox(Deque<PendingCommand> commands, ByteBufAllocator alloc, Answered answered) {
        this.commands = commands;
        this.alloc = alloc;
        this.answered = answered;
    }

    /** A one-line +OK that ends the reply. */
    public void ok(String text) {
        put(StatusLine.ok(text));
        put(Finished.INSTANCE);
    }

    /** A one-line -ERR that ends the reply. */
    public void err(String text) {
        put(StatusLine.err(text));
        put(Finished.INSTANCE);
    }

    /** A one-line status that ends the reply, as another upstream gave it. */
    public void reply(StatusLine status) {
        put(status);
        put(Finished.INSTANCE);
    }

    /** "+ text": the command goes on with the client's next line (RFC 5034 section 4). */
    public void continuation(String text) {
        put(new StatusLine(StatusLine.Status.CONTINUATION, text));
    }

    /** A +OK with a body of whole lines, each written with CRLF. */
    public void multiline(String text, List<String> lines) {
        startBody(text);
        if (!lines.isEmpty()) {
            StringBuilder body = new StringBuilder();
            lines.forEach(line -> body.append(line).append("\r\n"));
            ByteBuf content = alloc.buffer(body.length());
            content.writeCharSequence(body, StandardCharsets.ISO_8859_1);
            bodyChunk(content);
        }
        endBody();
    }

    /** The +OK of a reply whose body follows in {@link #bodyChunk} pieces. */
    public void startBody(String text) {
        midReply = true;
        put(StatusLine.ok(text));
    }

    /** Body octets as the mailbox holds them, unstuffed; the outbox owns {@code content}. */
    public void bodyChunk(ByteBuf content) {
        put(new ContentChunk(content));
    }

    public void endBody() {
        midReply = false;
        put(EndOfMultiline.INSTANCE);
        put(Finished.INSTANCE);
    }

    public boolean midReply() {
        return midReply;
    }

    public void suspend() {
        suspended = true;
    }

    public boolean suspended() {
        return suspended;
    }

    /** Hands on what was held, oldest first, until done or suspended again; returns whether it is still suspended. */
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
            head.handler().onStatus(status);
        } else if (piece instanceof ContentChunk chunk) {
            head.handler().onContent(chunk);
        } else if (piece == EndOfMultiline.INSTANCE) {
            head.handler().onEnd();
        } else {
            commands.removeFirst();
            answered.answered(head);
        }
    }
}
