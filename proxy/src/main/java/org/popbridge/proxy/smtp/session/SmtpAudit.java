package org.popbridge.proxy.smtp.session;

import java.time.Duration;
import java.time.Instant;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilters;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.SubmittedMessage;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.ClientOctets;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.session.MaskedLine;
import org.popbridge.proxy.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an SMTP session's filters what the client asked, what it got, and each message it sent.
 * The session handles one command at a time, so the reply after a command is its reply; a 334
 * challenge is a step of AUTH, not its answer. Commands reach the filters masked: the SASL data
 * of AUTH never does, and the lines of an AUTH exchange are not commands at all.
 */
final class SmtpAudit {

    private static final Logger log = LoggerFactory.getLogger(SmtpAudit.class);

    private final SessionFilters filters;
    private final SessionInfo info;
    private final Instant start = Instant.now();
    private SessionCommand current;
    private int commands;
    private int sent;

    private SmtpAudit(SessionFilters filters, SessionInfo info) {
        this.filters = filters;
        this.info = info;
    }

    /** The audit of one session, with fresh session filters from the outgoing chain (none if it has none). */
    static SmtpAudit of(FilterChain chain, String sessionId, String client, String listener, String upstream) {
        SessionInfo info = new SessionInfo(sessionId, client, listener, upstream, Direction.OUTGOING);
        SessionFilters filters = new SessionFilters(chain.filtersSessions() ? chain.sessionFilters(info)
                : java.util.List.of(),
                failure -> log.warn("[{}] session filter {}", sessionId, LogText.of(failure.describe())));
        return new SmtpAudit(filters, info);
    }

    /**
     * A command about to be handled: the filters may refuse it (policy, limits), and then the
     * client gets 550 5.7.1, or 450 4.7.1 for a refusal that passes, and nothing goes upstream.
     *
     * @param shown the command as the session masked it
     * @return the refusal, or null if the command goes on
     */
    SmtpReply command(MaskedLine shown, String user) {
        commands++;
        if (filters.isEmpty()) {
            return null;
        }
        // Filters see the command as the session log does: never SASL data.
        current = new SessionCommand(shown.keyword(), shown.arguments(), user);
        CommandDecision decision = filters.command(current);
        if (decision.allowed()) {
            return null;
        }
        log.info("[{}] {} refused by a session filter: {}", info.id(), LogText.of(shown.keyword()),
                LogText.of(decision.reason()));
        return decision.temporary() ? SmtpReply.of(450, "4.7.1 " + decision.reason())
                : SmtpReply.of(550, "5.7.1 " + decision.reason());
    }

    /** A reply went to the client; the final one answers the current command. */
    void replied(SmtpReply reply) {
        if (current == null || reply.code() == 334) {
            return;
        }
        filters.replied(new SessionReply(current, reply.isPositive() || reply.isIntermediate(), 0,
                String.valueOf(reply.code())));
        current = null;
    }

    /** A message was answered: sent if the server said 2xx. */
    void submitted(SubmittedMessage message) {
        if (message.accepted()) {
            sent++;
        }
        filters.submitted(message);
    }

    void ended(String user, ClientOctets octets, TlsSummary clientTls, TlsSummary upstreamTls, String end) {
        filters.ended(new SessionSummary(info, user, commands, 0, 0, sent, octets == null ? 0 : octets.received(),
                octets == null ? 0 : octets.sent(), Duration.between(start, Instant.now()), clientTls, upstreamTls,
                end));
    }
}
