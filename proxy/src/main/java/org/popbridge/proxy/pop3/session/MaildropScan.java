package org.popbridge.proxy.pop3.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.popbridge.proxy.core.filtering.FilterResult;
import org.popbridge.proxy.core.filtering.FilteredMessage;
import org.popbridge.proxy.core.filtering.HeaderCollector;
import org.popbridge.proxy.core.filtering.KnownOutcome;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers the maildrop at login: the mailbox's listing (POP3: UIDL and LIST; IMAP: the UID
 * snapshot), then with filters on, for the messages whose outcome is not cached, the header
 * block ({@code TOP n 0}) so the chain can decide before the client sees a number. Hidden
 * messages are left out; the others get the size the client will receive. Header reads
 * overlap as far as the mailbox allows: POP3 pipelines a window of {@code TOP n 0}; IMAP reads
 * them all in one pass, each header block going through the chain as it arrives, and the pass
 * paused while {@link #FILTER_RUNS_IN_FLIGHT} are still undecided, so memory stays bounded.
 */
final class MaildropScan {

    private static final Logger log = LoggerFactory.getLogger(MaildropScan.class);

    /** Header blocks of a one-pass read the chain may hold undecided before reading pauses. */
    static final int FILTER_RUNS_IN_FLIGHT = 16;

    private final Executor executor;
    private final String sessionId;
    /** Null when no filter looks at messages: the listing is numbered as it is. */
    private final SessionFiltering filtering;
    private final int window;
    private final Consumer<Maildrop> ready;
    private final Consumer<String> failed;
    private final Map<Integer, MaildropEntry> entries = new TreeMap<>();
    private final Deque<MaildropEntry> toProbe = new ArrayDeque<>();
    private final Mailbox mailbox;
    private boolean uidsKnown;
    private int probing;
    private int hidden;
    private int scanned;
    private int cached;
    private boolean over;
    private boolean topRefused;
    /** The one-pass read under way, or null when header blocks are read one at a time. */
    private HeaderPass.Reading onePass;
    private boolean onePassPaused;
    private boolean onePassFinished;
    private int gone;

    MaildropScan(Executor executor, String sessionId, Mailbox mailbox, SessionFiltering filtering,
                 Consumer<Maildrop> ready, Consumer<String> failed) {
        this.executor = executor;
        this.sessionId = sessionId;
        this.mailbox = mailbox;
        this.filtering = filtering;
        this.window = mailbox.headerReadsInFlight();
        this.ready = ready;
        this.failed = failed;
    }

    void start() {
        mailbox.list(this::listed, this::fail);
    }

    private void listed(Mailbox.Listing listing) {
        uidsKnown = listing.uidsKnown();
        if (filtering == null) {
            // Nothing to decide: the listing is the maildrop, in the mailbox's order (an IMAP
            // folder of thousands of messages is numbered without sorting it again).
            over = true;
            log.debug("[{}] maildrop: {} messages", sessionId, listing.entries().size());
            ready.accept(new Maildrop(listing.entries(), uidsKnown));
            return;
        }
        if (!uidsKnown) {
            log.info("[{}] upstream gave no UIDL listing: verdicts are not cached for this session",
                    filtering.sessionId());
        }
        listing.entries().forEach(this::triage);
        if (mailbox.readsHeadersInOnePass() && !toProbe.isEmpty()) {
            List<MaildropEntry> wanted = new ArrayList<>(toProbe);
            toProbe.clear();
            onePass = mailbox.headers(wanted, new OnePass());
        } else {
            probeMore();
        }
    }

    /** A cached outcome settles a message; the rest are read with TOP n 0 if the scan is on. */
    private void triage(MaildropEntry entry) {
        Optional<KnownOutcome> known = entry.uidl() == null ? Optional.empty() : filtering.known(entry.uidl());
        if (known.isPresent()) {
            cached++;
            if (known.get().hidden()) {
                hidden++;
            } else {
                entries.put(entry.upstreamNumber(), entry.withOutcome(known.get().sizeDelta()));
            }
            return;
        }
        entries.put(entry.upstreamNumber(), entry);
        if (filtering.scanAtLogin()) {
            toProbe.addLast(entry);
        }
    }

    private void probeMore() {
        while (probing < window && !toProbe.isEmpty()) {
            MaildropEntry entry = toProbe.removeFirst();
            probing++;
            mailbox.headers(entry, new HeaderProbe(entry));
        }
        if (probing == 0 && toProbe.isEmpty()) {
            finish();
        }
    }

    private void probed(MaildropEntry entry, FilterResult result) {
        probing--;
        if (over) {
            return;
        }
        settle(entry, result);
        if (onePass == null) {
            probeMore();
        } else {
            onePassProgress();
        }
    }

    private void settle(MaildropEntry entry, FilterResult result) {
        if (result != null) {
            scanned++;
            filtering.logFailures(entry, result.failures());
            filtering.logFindings(entry, result.findings());
            if (result.hidden()) {
                hidden++;
                entries.remove(entry.upstreamNumber());
            } else if (!result.refused()) {
                entries.put(entry.upstreamNumber(), entry.withOutcome(result.sizeDelta()));
            }
        }
    }

    /** A one-pass read goes on while the chain keeps up, and the scan ends with the last decision. */
    private void onePassProgress() {
        // Resumed at half the bound, so a chain that lags by one does not pause and resume every block.
        if (onePassPaused && probing <= FILTER_RUNS_IN_FLIGHT / 2) {
            onePassPaused = false;
            onePass.resume();
        }
        if (onePassFinished && probing == 0) {
            finish();
        }
    }

    private void finish() {
        if (over) {
            return;
        }
        over = true;
        Maildrop maildrop = new Maildrop(new ArrayList<>(entries.values()), uidsKnown);
        if (gone > 0) {
            log.info("[{}] {} message(s) removed by another client during the login scan: numbered unfiltered",
                    sessionId, gone);
        }
        log.info("[{}] maildrop: {} messages shown, {} hidden; {} read at login, {} from the verdict cache",
                sessionId, maildrop.size(), hidden, scanned, cached);
        ready.accept(maildrop);
    }

    private void fail(String why) {
        over = true;
        failed.accept(why);
    }

    /** The scan's side of a one-pass read: every header block as it comes, paused while the chain is behind. */
    private final class OnePass implements HeaderPass {
        @Override
        public ReplyHandler reader(MaildropEntry entry) {
            probing++;
            if (probing >= FILTER_RUNS_IN_FLIGHT && !onePassPaused && !over) {
                onePassPaused = true;
                onePass.pause();
            }
            return new HeaderProbe(entry);
        }

        /** Like a message whose TOP found nothing: it keeps its number, and RETR will say it is gone. */
        @Override
        public void gone(MaildropEntry entry) {
            gone++;
        }

        @Override
        public void finished() {
            onePassFinished = true;
            if (!over) {
                onePassProgress();
            }
        }
    }

    /** The reply to one TOP n 0: the header block goes through the chain; its outcome settles the entry. */
    private final class HeaderProbe implements ReplyHandler {
        private final MaildropEntry entry;
        private final HeaderCollector headers = new HeaderCollector(filtering.headerLimit());
        private boolean complete;
        private boolean overLimit;

        HeaderProbe(MaildropEntry entry) {
            this.entry = entry;
        }

        @Override
        public void onStatus(StatusLine status) {
            if (!status.isOk()) {
                // No TOP: the outcome is learnt at RETR; until then LIST gives the upstream's size.
                // Said once, loudly: a configured hide filter cannot hide anything on this upstream.
                if (!topRefused) {
                    topRefused = true;
                    log.warn("[{}] upstream refused TOP ({}): messages are numbered unfiltered, nothing is hidden,"
                            + " and LIST gives the server's sizes until a message is read", filtering.sessionId(),
                            LogText.of(status.text()));
                }
                probed(entry, null);
            }
        }

        @Override
        public void onContent(ContentChunk chunk) {
            try {
                if (!complete && !overLimit) {
                    HeaderCollector.Progress progress = headers.offer(chunk.content());
                    complete = progress == HeaderCollector.Progress.COMPLETE;
                    overLimit = progress == HeaderCollector.Progress.OVER_LIMIT;
                }
            } finally {
                chunk.release();
            }
        }

        @Override
        public void onEnd() {
            if (overLimit) {
                // Remembered, so later logins do not read this header block again just to skip it.
                filtering.passesUnfiltered(entry);
                probed(entry, FilterResult.unfiltered(new byte[0]));
                return;
            }
            FilteredMessage message = filtering.open(entry, executor);
            try {
                message.headers(headers.octets()).whenComplete((result, error) -> {
                    message.end(false);
                    probed(entry, error == null ? result : null);
                });
            } catch (RuntimeException e) {
                log.warn("[{}] message {}: header block not filtered: {}", filtering.sessionId(),
                        entry.upstreamNumber(), LogText.of(e));
                probed(entry, null);
            }
        }
    }
}
