package org.popbridge.proxy.pop3.session;

import java.util.List;
import java.util.concurrent.Executor;
import org.popbridge.filters.FilterFailure;
import org.popbridge.filters.FilterFinding;
import org.popbridge.filters.MessageInfo;
import org.popbridge.proxy.core.filtering.FilteredMessage;
import org.popbridge.proxy.core.filtering.KnownOutcome;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.MessageKey;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The filters as one logged-in session uses them: keys and facts for its messages, and the log lines. */
final class SessionFiltering {

    private static final Logger log = LoggerFactory.getLogger(SessionFiltering.class);

    private final MessageFiltering filtering;
    private final String sessionId;
    private final String upstream;
    private final String user;

    SessionFiltering(MessageFiltering filtering, String sessionId, String upstream, String user) {
        this.filtering = filtering;
        this.sessionId = sessionId;
        this.upstream = upstream;
        // Without a name (an AUTH mechanism that names no one) the cache cannot tell maildrops apart.
        this.user = user;
    }

    /** How much of a header block the chain reads; a longer block passes unfiltered. */
    int headerLimit() {
        return filtering.headerLimit();
    }

    /** Whether header blocks are read at login, so hidden messages never get a number. */
    boolean scanAtLogin() {
        return filtering.scanAtLogin();
    }

    /** Whether a filter reads message bodies, so each body chunk must pass the chain. */
    boolean watchesBodies() {
        return filtering.chain().watchesBodies();
    }

    /** Starts one message through the chain. */
    FilteredMessage open(MaildropEntry entry, Executor executor) {
        return filtering.open(key(entry.uidl()), info(entry), executor);
    }

    /** What an earlier run found for the message, if anything. */
    java.util.Optional<KnownOutcome> known(String uidl) {
        return filtering.known(key(uidl));
    }

    /** The message's header block is over the limit: it passes unfiltered, and the cache says so. */
    void passesUnfiltered(MaildropEntry entry) {
        filtering.passesUnfiltered(key(entry.uidl()));
    }

    MessageInfo info(MaildropEntry entry) {
        return new MessageInfo(entry.uidl(), entry.upstreamSize(), user, upstream);
    }

    /** Fail-open is visible: every skipped filter is logged with the message's UIDL. */
    void logFailures(MaildropEntry entry, List<FilterFailure> failures) {
        for (FilterFailure failure : failures) {
            log.warn("[{}] filter {} on message {} (uidl {}): {}", sessionId,
                    filtering.chain().policy() == org.popbridge.filters.FailurePolicy.OPEN ? "skipped" : "refused",
                    entry.upstreamNumber(), LogText.of(entry.uidl() == null ? "-" : entry.uidl()),
                    LogText.of(failure.describe()));
            if (failure.cause() != null) {
                log.debug("[{}] filter failure detail", sessionId, failure.cause());
            }
        }
    }

    void logFindings(MaildropEntry entry, List<FilterFinding> findings) {
        if (!findings.isEmpty() && log.isDebugEnabled()) {
            log.debug("[{}] message {} (uidl {}): {}", sessionId, entry.upstreamNumber(),
                    LogText.of(entry.uidl() == null ? "-" : entry.uidl()), LogText.of(findings));
        }
    }

    String sessionId() {
        return sessionId;
    }

    private MessageKey key(String uidl) {
        return uidl == null || user == null ? null : new MessageKey(upstream, user, uidl);
    }
}
