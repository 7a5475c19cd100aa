package org.popbridge.filters.builtin;

import org.popbridge.filters.Direction;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.SubmittedMessage;
import org.popbridge.filters.TlsSummary;
import org.slf4j.Logger;

/** The audit log of one session: a line per answered command, one per message sent, and the summary when it ends. */
final class AuditSessionLog implements SessionFilter {

    private final SessionInfo session;
    private final Logger logger;
    private final boolean commands;

    AuditSessionLog(SessionInfo session, Logger logger, boolean commands) {
        this.session = session;
        this.logger = logger;
        this.commands = commands;
    }

    /** Written when the reply is known, so the line holds the outcome as well as the request. */
    @Override
    public void replied(SessionReply reply) {
        if (!commands || !logger.isInfoEnabled()) {
            return;
        }
        AuditLine line = new AuditLine()
                .field("session", session.id())
                .field("client", session.client())
                .field("user", reply.command().user())
                .field("command", AuditMask.command(reply.command()))
                .field("status", reply.status());
        if (reply.bodyOctets() > 0) {
            line.field("octets", reply.bodyOctets());
        }
        logger.info(line.toString());
    }

    /** One line per message sent: who, from which envelope sender to how many, and what the server said. */
    @Override
    public void submitted(SubmittedMessage message) {
        if (!logger.isInfoEnabled()) {
            return;
        }
        logger.info(new AuditLine()
                .field("session", session.id())
                .field("client", session.client())
                .field("user", message.user())
                .field("message", message.accepted() ? "sent" : "not-sent")
                .field("sender", "<" + message.envelope().sender() + ">")
                .field("recipients", message.envelope().recipients().size())
                .field("octets", message.octets())
                .field("reply", message.code() + " " + message.reply())
                .field("queue_id", message.queueId())
                .toString());
    }

    @Override
    public void ended(SessionSummary summary) {
        if (!logger.isInfoEnabled()) {
            return;
        }
        // The summary's own session is preferred: it is what the proxy knew at the end.
        SessionInfo info = summary.session() != null ? summary.session() : session;
        TlsSummary clientTls = orNone(summary.clientTls());
        TlsSummary upstreamTls = orNone(summary.upstreamTls());
        AuditLine line = new AuditLine()
                .field("session", info.id())
                .field("client", info.client())
                .field("user", summary.user())
                .field("upstream", info.upstream())
                .field("commands", summary.commands());
        if (info.direction() == Direction.OUTGOING) {
            line.field("sent", summary.sent());
        } else {
            line.field("retrieved", summary.retrieved()).field("deleted", summary.deleted());
        }
        line
                .field("octets_in", summary.octetsFromClient())
                .field("octets_out", summary.octetsToClient())
                .field("duration_ms", summary.duration() == null ? null : summary.duration().toMillis())
                .field("client_tls", clientTls.protocol())
                .field("client_cipher", clientTls.cipher())
                .field("upstream_tls", upstreamTls.protocol())
                .field("upstream_cipher", upstreamTls.cipher())
                .field("end", summary.end());
        logger.info(line.toString());
    }

    private static TlsSummary orNone(TlsSummary tls) {
        return tls == null ? TlsSummary.NONE : tls;
    }
}
