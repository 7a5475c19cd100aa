package org.popbridge.proxy.pop3.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilters;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.ClientAddress;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.StatusLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the session filters what the client asked and what it got. It sits in the client's
 * pipeline and watches replies go out: commands are answered in the order they were handled,
 * so each final status line (and the body after a +OK that has one) belongs to the oldest
 * command still waiting. The greeting and unsolicited lines (idle close) have no command.
 * A reply is reported once the flush that sends it has been handed to the socket, so the
 * client has it while the audit line is written; before the connection closes and before the
 * summary, whatever is written and not yet reported is.
 */
final class SessionAudit extends ChannelOutboundHandlerAdapter {

    /** A command handled, waiting for its reply to go out. */
    private record Awaited(SessionCommand command, boolean multilineOnOk) {}

    private static final Logger log = LoggerFactory.getLogger(SessionAudit.class);

    private final SessionFilters filters;
    private final SessionInfo info;
    private final Instant start = Instant.now();
    private final Deque<Awaited> awaited = new ArrayDeque<>();
    /** Replies written and not yet flushed: reported after the flush, in order. */
    private final Deque<SessionReply> unreported = new ArrayDeque<>();
    private Awaited inBody;
    private boolean inBodyOk;
    private long bodyOctets;

    SessionAudit(SessionFilters filters, SessionInfo info) {
        this.filters = filters;
        this.info = info;
    }

    /**
     * Puts an audit in front of the session handler if the chain has session filters.
     *
     * @return the audit, or null if no filter watches sessions
     */
    static SessionAudit attach(ChannelHandlerContext session, FilterChain chain, String sessionId, String listener,
                               String upstream) {
        if (!chain.filtersSessions()) {
            return null;
        }
        SessionInfo info = new SessionInfo(sessionId, address(ClientAddress.of(session.channel())), listener, upstream);
        SessionAudit audit = new SessionAudit(new SessionFilters(chain.sessionFilters(info), failure ->
                log.warn("[{}] session filter {}", sessionId, LogText.of(failure.describe()))), info);
        session.pipeline().addBefore(session.name(), "audit", audit);
        return audit;
    }

    private CommandDecision command(Pop3Command command, MaskedLine shown, String user) {
        Pop3Verb verb = command.verb().orElse(null);
        boolean multilineOnOk = verb != null && verb.syntaxOk(command) && verb.multilineOnOk(command);
        // Filters see the command as the session log does: never a password, digest or SASL data.
        SessionCommand described = new SessionCommand(shown.keyword(), shown.arguments(), user);
        CommandDecision decision = filters.command(described);
        awaited.addLast(new Awaited(described, decision.allowed() && multilineOnOk));
        return decision;
    }

    /**
     * Asks the filters about a command about to be handled; a session filter may refuse it
     * (policy): then the client gets -ERR with the reason returned, and nothing goes upstream.
     *
     * @param shown the command as the session masked it
     * @return the reason of a refusal, or null if the command may go on
     */
    String refusal(Pop3Command command, MaskedLine shown, String user) {
        CommandDecision decision = command(command, shown, user);
        if (decision.allowed()) {
            return null;
        }
        log.info("[{}] {} refused by a session filter: {}", info.id(), LogText.of(shown.keyword()),
                LogText.of(decision.reason()));
        return decision.reason();
    }

    /** Client input that is not a command (an overlong line): its -ERR is not reported. */
    void nonCommand() {
        awaited.addLast(new Awaited(null, false));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof StatusLine status && status.status() != StatusLine.Status.CONTINUATION) {
            statusWritten(status);
        } else if (msg instanceof ContentChunk chunk && inBody != null) {
            bodyOctets += chunk.content().readableBytes();
        } else if (msg == EndOfMultiline.INSTANCE && inBody != null) {
            report(inBody, inBodyOk, bodyOctets);
            inBody = null;
        }
        super.write(ctx, msg, promise);
    }

    private void statusWritten(StatusLine status) {
        Awaited command = awaited.pollFirst();
        if (command == null) {
            return;
        }
        if (status.isOk() && command.multilineOnOk()) {
            inBody = command;
            inBodyOk = true;
            bodyOctets = 0;
        } else {
            report(command, status.isOk(), 0);
        }
    }

    private void report(Awaited command, boolean ok, long octets) {
        if (command.command() != null) {
            unreported.addLast(new SessionReply(command.command(), ok, octets));
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        reportWritten();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        reportWritten();
        super.close(ctx, promise);
    }

    private void reportWritten() {
        SessionReply reply;
        while ((reply = unreported.pollFirst()) != null) {
            filters.replied(reply);
        }
    }

    /** The session is over: the filters get its summary, after every reply written. */
    void ended(String user, SessionMetrics metrics, ClientOctets octets, TlsSummary clientTls, TlsSummary upstreamTls,
               SessionEnd end) {
        reportWritten();
        filters.ended(new SessionSummary(info, user, metrics.commands(), metrics.retrievedCount(),
                metrics.deletedCount(), octets == null ? 0 : octets.received(), octets == null ? 0 : octets.sent(),
                Duration.between(start, Instant.now()), clientTls, upstreamTls, end.text()));
    }

    /** The client's address as the filters see it: host address and port. */
    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
