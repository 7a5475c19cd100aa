package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.popbridge.proxy.core.session.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link's commands (RFC 9051 section 2.2.1): one in flight, tagged A1, A2, ..., the
 * rest waiting. A command goes out up to each synchronizing literal, and on after the
 * server's continuation request (section 7.5). Used on the link's event loop only.
 */
final class CommandQueue {

    private static final Logger log = LoggerFactory.getLogger(CommandQueue.class);

    private final String sessionId;
    private final Deque<Queued> waiting = new ArrayDeque<>();
    private Channel channel;
    private Queued current;
    private int tags;

    /** A command waiting, or in flight with {@code command} built and segments written up to {@code sent}. */
    private static final class Queued {
        final ImapLink.CommandText text;
        final ResponseHandler handler;
        ImapCommand command;
        int sent;

        Queued(ImapLink.CommandText text, ResponseHandler handler) {
            this.text = text;
            this.handler = handler;
        }
    }

    CommandQueue(String sessionId) {
        this.sessionId = sessionId;
    }

    /** The connection commands are written to, known once the link connects. */
    void connectedTo(Channel connection) {
        this.channel = connection;
    }

    /** Queues a command, at the head when it continues a multi-step operation. */
    void add(ImapLink.CommandText text, ResponseHandler handler, boolean first) {
        Queued queued = new Queued(text, handler);
        if (first) {
            waiting.addFirst(queued);
        } else {
            waiting.addLast(queued);
        }
    }

    /** Tags and writes the next waiting command, unless one is in flight; {@code syntax} is the server's now. */
    void sendNext(StringSyntax syntax) {
        if (current != null || waiting.isEmpty()) {
            return;
        }
        current = waiting.removeFirst();
        current.command = current.text.build("A" + (++tags), syntax);
        if (log.isDebugEnabled()) {
            log.debug("[{}] > {}", sessionId, LogText.of(current.command.loggable()));
        }
        writeSegments();
    }

    /** The handler of the command in flight, or null when none is. */
    ResponseHandler inFlight() {
        return current == null ? null : current.handler;
    }

    /**
     * Ends the command in flight when {@code status} carries its tag (RFC 9051 section 7.1)
     * and returns its handler; null, with nothing ended, when no command in flight has that tag.
     */
    ResponseHandler complete(StatusResponse status) {
        if (current == null || !status.tag().equals(current.command.tag())) {
            return null;
        }
        ResponseHandler handler = current.handler;
        current = null;
        return handler;
    }

    /**
     * Answers a continuation request for the command in flight by writing its segments up to
     * the next synchronizing literal; false when it has none left, so the request is for its
     * handler (an AUTHENTICATE step).
     */
    boolean continueCommand() {
        if (current.sent >= current.command.segments().size()) {
            return false;
        }
        writeSegments();
        return true;
    }

    /** Takes every command, the one in flight first, out of the queue: the link is closing. */
    List<ResponseHandler> drain() {
        List<ResponseHandler> handlers = new ArrayList<>();
        if (current != null) {
            handlers.add(current.handler);
            current = null;
        }
        while (!waiting.isEmpty()) {
            handlers.add(waiting.removeFirst().handler);
        }
        return handlers;
    }

    /** A line that answers a continuation request with a secret (a SASL response): never logged. */
    void writeSecretLine(String line) {
        ByteBuf buf = channel.alloc().buffer(line.length() + 2);
        buf.writeCharSequence(line, StandardCharsets.US_ASCII);
        buf.writeByte('\r').writeByte('\n');
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /** Writes segments up to and including the next that waits for a continuation request. */
    private void writeSegments() {
        List<CommandSegment> segments = current.command.segments();
        while (current.sent < segments.size()) {
            CommandSegment segment = segments.get(current.sent++);
            channel.write(Unpooled.wrappedBuffer(segment.octets()), channel.voidPromise());
            if (segment.awaitsContinuation()) {
                break;
            }
        }
        channel.flush();
    }
}
