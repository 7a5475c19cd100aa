package org.popbridge.proxy.pop3.session;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import org.popbridge.proxy.core.session.SessionLog;

/**
 * What every upstream does the same way, as netty's {@code ProxyHandler} does for its
 * subclasses: connect and handshake, then relay; the {@link ReplyQueue} of commands awaiting
 * replies; hold and replay while a filter decides; and one way to fail, which tells the session
 * whether a reply was cut. Subclasses supply the connection, the handshake and how a command
 * is sent or answered. Called only on the session's event loop.
 */
public abstract class UpstreamAdapter implements Pop3Upstream {

    private enum Phase { CONNECTING, READY, CLOSED }

    protected final Listener listener;
    protected final String sessionId;
    protected final ReplyQueue replies = new ReplyQueue(this::answered);
    /** For adapters that answer themselves: the answers still to start, one per queued command. */
    private final Deque<Runnable> unanswered = new ArrayDeque<>();
    private Phase phase = Phase.CONNECTING;
    private EventLoop loop;
    private boolean answering;
    private boolean scheduled;

    protected UpstreamAdapter(Listener listener, String sessionId) {
        this.listener = listener;
        this.sessionId = sessionId;
    }

    @Override
    public final void connect(EventLoop eventLoop) {
        loop = eventLoop;
        open(eventLoop);
    }

    /** Connects and starts the handshake; {@link #handshakeDone} or {@link #fail} follows. */
    protected abstract void open(EventLoop eventLoop);

    /** Closes the connection to the server, if any, without a word: nothing changes there. */
    protected abstract void closeConnection();

    protected final EventLoop loop() {
        return loop;
    }

    /** The opening handshake is over: commands may be sent, and the client greeted. */
    protected final void handshakeDone(String apopTimestamp, UpstreamCapabilities capabilities) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        phase = Phase.READY;
        listener.upstreamReady(apopTimestamp, capabilities);
    }

    protected final boolean closed() {
        return phase == Phase.CLOSED;
    }

    @Override
    public boolean ready() {
        return phase == Phase.READY;
    }

    @Override
    public boolean awaitingReplies() {
        return !replies.isEmpty();
    }

    @Override
    public boolean barrierPending() {
        return replies.barrierPending();
    }

    // ---- answering in turn, for adapters that answer commands themselves

    /**
     * Queues a command that the adapter answers itself: {@code answer} runs once every command
     * before it is answered, on a later turn of the loop (never inside the session's own send),
     * and puts its reply in {@link #replies}.
     */
    protected final void answerInTurn(PendingCommand pending, Runnable answer) {
        if (closed()) {
            return;
        }
        replies.add(pending);
        unanswered.addLast(answer);
        scheduleAnswer();
    }

    private void scheduleAnswer() {
        if (!scheduled && !answering && !unanswered.isEmpty()) {
            scheduled = true;
            loop.execute(SessionLog.carried(() -> {
                scheduled = false;
                if (!answering && !unanswered.isEmpty() && !closed()) {
                    answering = true;
                    unanswered.removeFirst().run();
                }
            }));
        }
    }

    /** The head command's reply has been handed on completely. */
    private void answered(PendingCommand command) {
        answering = false;
        if (phase == Phase.READY) {
            listener.replyFinished();
        }
        scheduleAnswer();
    }

    // ---- hold and replay

    @Override
    public void suspendReplies() {
        replies.suspend();
        pauseReading();
    }

    @Override
    public boolean resumeReplies() {
        boolean suspendedAgain = replies.resume();
        if (suspendedAgain || closed()) {
            return false;
        }
        listener.upstreamReadComplete();
        return true;
    }

    /** A burst of reads is over: the session flushes to the client, unless replies are held. */
    protected final void readsDone() {
        if (!replies.suspended()) {
            listener.upstreamReadComplete();
        }
    }

    // ---- the end

    /** Closes without QUIT or its IMAP equivalent: the maildrop is left unchanged (invariant 1). */
    @Override
    public final void close() {
        if (closed()) {
            return;
        }
        phase = Phase.CLOSED;
        replies.close();
        closeConnection();
    }

    /**
     * The upstream is gone or unusable: the connection closes and the session learns why, and
     * whether a reply was cut (then the client must see the cut, invariant 2). Before the
     * handshake is over every failure is the server being unavailable.
     */
    protected final void fail(UpstreamFailure failure, Throwable cause) {
        if (closed()) {
            return;
        }
        if (phase == Phase.READY) {
            end(failure, replies.midReply(), cause);
        } else {
            end(UpstreamFailure.UNAVAILABLE, replies.midReply(), explained(cause));
        }
    }

    /**
     * Before the handshake is over, the cause with its sentence attached where it is a problem
     * reaching or securing the server (see UpstreamDiagnosis.explain): the adapter knows where
     * it connects, the session logs what it is given.
     */
    protected Throwable explained(Throwable cause) {
        return cause;
    }

    /** Ends the adapter for a failure already judged, as when the upstream behind a router failed. */
    protected final void end(UpstreamFailure failure, boolean midReply, Throwable cause) {
        if (closed()) {
            return;
        }
        phase = Phase.CLOSED;
        replies.close();
        closeConnection();
        listener.upstreamFailed(failure, midReply, cause);
    }
}
