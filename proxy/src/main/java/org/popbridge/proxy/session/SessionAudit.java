package org.popbridge.proxy.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.SSLSession;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilters;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.EndOfMultiline;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * Tells the session filters what the client asked and what it got. It sits in the client's
 * pipeline and watches replies go out: commands are answered in the order they were handled,
 * so each final status line (and the body after a +OK that has one) belongs to the oldest
 * command still waiting. The greeting and unsolicited lines (idle close) have no command.
 */
final class SessionAudit extends ChannelOutboundHandlerAdapter {

    /** A command handled, waiting for its reply to go out. */
    private record Awaited(SessionCommand command, boolean multilineOnOk) {}

    private final SessionFilters filters;
    private final SessionInfo info;
    private final Instant start = Instant.now();
    private final Deque<Awaited> awaited = new ArrayDeque<>();
    private Awaited inBody;
    private boolean inBodyOk;
    private long bodyOctets;

    SessionAudit(SessionFilters filters, SessionInfo info) {
        this.filters = filters;
        this.info = info;
    }

    /** The command, masked, as filters see it: never a password, digest or SASL data. */
    static SessionCommand describe(Pop3Command command, String user) {
        String masked = command.masked().strip();
        int space = masked.indexOf(' ');
        return new SessionCommand(command.keyword(), space < 0 ? "" : masked.substring(space + 1).strip(), user);
    }

    /** Asks the filters about a command about to be handled; a refusal is answered by the session. */
    CommandDecision command(SessionCommand command, boolean multilineOnOk) {
        CommandDecision decision = filters.command(command);
        awaited.addLast(new Awaited(command, decision.allowed() && multilineOnOk));
        return decision;
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
            filters.replied(new SessionReply(command.command(), ok, octets));
        }
    }

    /** The session is over: the filters get its summary. */
    void ended(String user, SessionMetrics metrics, ClientOctets octets, TlsSummary clientTls, TlsSummary upstreamTls,
               String end) {
        filters.ended(new SessionSummary(info, user, metrics.commands(), metrics.retrievedCount(),
                metrics.deletedCount(), octets == null ? 0 : octets.received(), octets == null ? 0 : octets.sent(),
                Duration.between(start, Instant.now()), clientTls, upstreamTls, end));
    }

    /** The TLS a connection got, or none if it is in clear or the handshake did not finish. */
    static TlsSummary tlsOf(SslHandler handler) {
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return TlsSummary.NONE;
        }
        SSLSession session = handler.engine().getSession();
        return new TlsSummary(session.getProtocol(), session.getCipherSuite());
    }
}
