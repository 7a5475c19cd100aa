package org.popbridge.proxy.upstream.imap;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.Pop3Upstream;
import org.popbridge.proxy.pop3.session.ReplyOutbox;
import org.popbridge.proxy.upstream.imap.client.ImapFailure;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IMAP server seen by the session as a POP3 server: each POP3 command the session sends is
 * answered by translating it (RFC 1939 over RFC 9051), one at a time and in order, so pipelined
 * commands work. The session, its filters and its client codec do not know the difference.
 * Closing it aborts the IMAP connection without STORE, EXPUNGE or LOGOUT: nothing changes there.
 */
public final class ImapUpstream implements Pop3Upstream, ImapLink.Listener {

    private enum Phase { CONNECTING, AUTHORIZATION, TRANSACTION, UNUSABLE, CLOSED }

    private static final Logger log = LoggerFactory.getLogger(ImapUpstream.class);

    private final UpstreamConnector connector;
    private final ImapOptions options;
    private final Listener listener;
    private final String sessionId;
    private final ImapLink link;
    /** Commands sent by the session and not yet answered completely, oldest first. */
    private final Deque<PendingCommand> commands = new ArrayDeque<>();
    /** The lines of those commands not yet translated, in the same order. */
    private final Deque<String> untranslated = new ArrayDeque<>();
    private final ReplyOutbox outbox;
    private EventLoop loop;
    private Phase phase = Phase.CONNECTING;
    private ImapAuthorization authorization;
    private ImapTransaction transaction;
    /** The head command is being translated; the next waits until its reply is handed on. */
    private boolean translating;
    private boolean scheduled;
    private int barriers;

    private ImapUpstream(UpstreamConnector connector, ImapOptions options, Listener listener, String sessionId) {
        this.connector = connector;
        this.options = options;
        this.listener = listener;
        this.sessionId = sessionId;
        this.link = new ImapLink(connector, this, sessionId);
        this.outbox = new ReplyOutbox(commands, ByteBufAllocator.DEFAULT, this::answered);
    }

    /** Sessions served from the IMAP mailbox {@code connector} reaches, read as {@code options} say. */
    public static Pop3Upstream.Factory factory(UpstreamConnector connector, ImapOptions options) {
        return Pop3Upstream.Factory.of(connector.route().url(),
                (listener, sessionId) -> new ImapUpstream(connector, options, listener, sessionId));
    }

    @Override
    public void connect(EventLoop eventLoop) {
        loop = eventLoop;
        link.connect(eventLoop).whenComplete((capabilities, failure) -> {
            if (failure != null) {
                fail(ImapFailure.UNAVAILABLE, Failures.unwrap(failure));
                return;
            }
            if (phase != Phase.CONNECTING) {
                return;
            }
            phase = Phase.AUTHORIZATION;
            authorization = new ImapAuthorization(link, options, outbox, new ImapAuthorization.Outcome() {
                @Override
                public void opened(MailboxSnapshot snapshot) {
                    phase = Phase.TRANSACTION;
                    transaction = new ImapTransaction(link, options, snapshot, outbox, ImapUpstream.this::broken,
                            sessionId);
                    log.debug("[{}] {} opened: {} messages", sessionId, options.folder(), snapshot.messages().size());
                }

                @Override
                public void unusable() {
                    phase = Phase.UNUSABLE;
                }
            }, sessionId);
            log.debug("[{}] IMAP upstream ready, capabilities {}", sessionId, capabilities.names());
            // No APOP: the greeting has no timestamp of the IMAP server's to offer.
            listener.upstreamReady(null, LocalAuthorization.CAPABILITIES);
        });
    }

    @Override
    public boolean ready() {
        return phase != Phase.CONNECTING && phase != Phase.CLOSED;
    }

    @Override
    public boolean awaitingReplies() {
        return !commands.isEmpty();
    }

    @Override
    public boolean barrierPending() {
        return barriers > 0;
    }

    @Override
    public void send(String line, PendingCommand pending) {
        if (phase == Phase.CLOSED) {
            return;
        }
        commands.addLast(pending);
        untranslated.addLast(line);
        if (pending.barrier()) {
            barriers++;
        }
        scheduleTranslation();
    }

    @Override
    public void sendContinuation(String line) {
        if (phase == Phase.AUTHORIZATION && authorization.awaitingContinuation()) {
            authorization.continuation(line);
        }
    }

    /** Translates on a later turn of the loop, so a reply never runs inside the session's own send. */
    private void scheduleTranslation() {
        if (!scheduled && !translating && !untranslated.isEmpty()) {
            scheduled = true;
            loop.execute(() -> {
                scheduled = false;
                translateHead();
            });
        }
    }

    private void translateHead() {
        if (translating || untranslated.isEmpty() || phase == Phase.CLOSED) {
            return;
        }
        translating = true;
        Pop3Command command = new Pop3Command(untranslated.removeFirst());
        log.debug("[{}] translating {}", sessionId, command.keyword());
        switch (phase) {
            case AUTHORIZATION -> authorization.handle(command);
            case TRANSACTION -> transaction.handle(command);
            case UNUSABLE -> {
                if (command.keyword().equals("QUIT")) {
                    outbox.ok("popbridge signing off");
                } else {
                    outbox.err("[SYS/TEMP] The mailbox cannot be opened now");
                }
            }
            default -> throw new IllegalStateException("translating in " + phase);
        }
    }

    /** The head command's reply has been handed on: the next may be translated. */
    private void answered(PendingCommand command) {
        translating = false;
        if (command.barrier()) {
            barriers--;
        }
        listener.replyFinished();
        scheduleTranslation();
    }

    @Override
    public void flush() {
        // The link writes each IMAP command as it goes.
    }

    @Override
    public void pauseReading() {
        link.pauseReading();
    }

    @Override
    public void resumeReading() {
        link.resumeReading();
    }

    @Override
    public void suspendReplies() {
        outbox.suspend();
        link.pauseReading();
    }

    @Override
    public boolean resumeReplies() {
        boolean suspendedAgain = outbox.resume();
        if (suspendedAgain || phase == Phase.CLOSED) {
            return false;
        }
        listener.upstreamReadComplete();
        return true;
    }

    @Override
    public void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        outbox.close();
        link.abort();
    }

    @Override
    public String url() {
        return connector.route().url();
    }

    @Override
    public TlsSummary tls() {
        return link.tls();
    }

    // ---- ImapLink.Listener

    @Override
    public void readComplete() {
        if (!outbox.suspended()) {
            listener.upstreamReadComplete();
        }
    }

    @Override
    public void failed(ImapLinkException cause) {
        fail(cause.failure(), cause);
    }

    /** A message stream broke after its +OK: the client must see the cut (invariant 2). */
    private void broken(ImapLinkException cause) {
        link.abort();
        fail(ImapFailure.PROTOCOL, cause);
    }

    private void fail(ImapFailure failure, Throwable cause) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean connecting = phase == Phase.CONNECTING;
        boolean midReply = outbox.midReply();
        phase = Phase.CLOSED;
        outbox.close();
        listener.upstreamFailed(connecting ? Failures.of(ImapFailure.UNAVAILABLE) : Failures.of(failure), midReply,
                cause);
    }
}
