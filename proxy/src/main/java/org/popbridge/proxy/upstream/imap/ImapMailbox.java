package org.popbridge.proxy.upstream.imap;

import java.util.List;
import java.util.function.Consumer;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.pop3.session.HeaderPass;
import org.popbridge.proxy.pop3.session.Mailbox;
import org.popbridge.proxy.pop3.session.PendingCommand;
import org.popbridge.proxy.pop3.session.ReplyHandler;
import org.popbridge.proxy.pop3.session.ReplyQueue;
import org.popbridge.proxy.upstream.imap.client.CommitOutcome;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IMAP folder as the session's maildrop sees it (RFC 1939 over RFC 9051): the messages of
 * the UID snapshot taken at login, asked for by UID. RETR and TOP stream UID FETCH literals;
 * marks stay with the session until QUIT, which applies them with UID STORE and UID EXPUNGE,
 * never a bare EXPUNGE. Each request is answered in turn, after those before it.
 */
final class ImapMailbox implements Mailbox {

    /** Queues a request the upstream answers in turn (see {@code UpstreamAdapter.answerInTurn}). */
    interface Turns {
        void answerInTurn(PendingCommand pending, Runnable answer);
    }

    private static final Logger log = LoggerFactory.getLogger(ImapMailbox.class);

    private final ImapLink link;
    private final ImapOptions options;
    private final MailboxSnapshot snapshot;
    private final ReplyQueue replies;
    private final Turns turns;
    private final MessageStream.Breakage breakage;
    private final String sessionId;

    ImapMailbox(ImapLink link, ImapOptions options, MailboxSnapshot snapshot, ReplyQueue replies, Turns turns,
                MessageStream.Breakage breakage, String sessionId) {
        this.link = link;
        this.options = options;
        this.snapshot = snapshot;
        this.replies = replies;
        this.turns = turns;
        this.breakage = breakage;
        this.sessionId = sessionId;
    }

    @Override
    public void list(Consumer<Listing> listed, Consumer<String> failed) {
        listed.accept(new Listing(snapshot.entries(options.uidlFormat()), true));
    }

    /** One FETCH at a time: the link streams one literal at a time anyway. */
    @Override
    public int headerReadsInFlight() {
        return 1;
    }

    @Override
    public void headers(MaildropEntry entry, ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("TOP", true, false, reply),
                () -> link.top(message(entry), 0, stream(entry, true)));
    }

    /** One UID FETCH of a set for the whole scan, not one per message: see {@code ImapLink.headers}. */
    @Override
    public boolean readsHeadersInOnePass() {
        return true;
    }

    @Override
    public HeaderPass.Reading headers(List<MaildropEntry> entries, HeaderPass pass) {
        // In turn like every request; its one status, after the last header block, lets the next one go.
        turns.answerInTurn(new PendingCommand("SCAN", false, false, status -> { }), () -> {
            HeaderScan scan = new HeaderScan(snapshot, entries, pass, () -> replies.ok("header blocks read"));
            link.headers(snapshot, scan.messages(), scan);
        });
        return new HeaderPass.Reading() {
            @Override
            public void pause() {
                link.pauseReading();
            }

            @Override
            public void resume() {
                link.resumeReading();
            }
        };
    }

    @Override
    public void retrieve(MaildropEntry entry, ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("RETR", true, false, reply),
                () -> link.retrieve(message(entry).uid(), options.markSeen(), stream(entry, false)));
    }

    @Override
    public void top(MaildropEntry entry, String lines, ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("TOP", true, false, reply),
                () -> link.top(message(entry), lineCount(lines), stream(entry, true)));
    }

    /** More lines than any message has: the whole body. */
    private static long lineCount(String lines) {
        try {
            return Long.parseLong(lines);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Only marked: the session keeps the marks and hands them over at QUIT. */
    @Override
    public void mark(MaildropEntry entry, ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("DELE", false, false, reply),
                () -> replies.ok("message " + entry.upstreamNumber() + " deleted"));
    }

    @Override
    public void reset(ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("RSET", false, false, reply), () -> {
            long octets = snapshot.messages().stream().mapToLong(MailboxSnapshot.Message::size).sum();
            replies.ok("maildrop has " + snapshot.messages().size() + " messages (" + octets + " octets)");
        });
    }

    @Override
    public void noop(ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("NOOP", false, false, reply),
                () -> link.noop().whenComplete((done, failure) -> {
                    if (failure == null) {
                        replies.ok("");
                    } else if (link.isOpen()) {
                        replies.err("[SYS/TEMP] the mail server did not take NOOP");
                    }
                }));
    }

    /** UPDATE (RFC 1939 section 6): the marked messages go, and only they. */
    @Override
    public void commit(List<MaildropEntry> deleted, ReplyHandler reply) {
        turns.answerInTurn(new PendingCommand("QUIT", false, true, reply), () -> {
            List<Long> uids = deleted.stream().map(entry -> message(entry).uid()).toList();
            link.commit(uids, options.withoutUidplus()).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    log.warn("[{}] QUIT: deleting {} message(s) failed: {}", sessionId, uids.size(),
                            LogText.of(Failures.describe(failure)));
                    replies.err("[SYS/TEMP] some deleted messages were not removed");
                    return;
                }
                log.info("[{}] QUIT: {} message(s) deleted ({})", sessionId, uids.size(), describe(outcome));
                replies.ok("popbridge signing off (" + uids.size() + " messages deleted)");
            });
        });
    }

    private MailboxSnapshot.Message message(MaildropEntry entry) {
        return snapshot.message(entry.upstreamNumber()).orElseThrow();
    }

    private MessageStream stream(MaildropEntry entry, boolean top) {
        return new MessageStream(replies, entry.upstreamNumber(), top, breakage);
    }

    private static String describe(CommitOutcome outcome) {
        return switch (outcome) {
            case NOTHING_TO_DELETE -> "nothing to delete";
            case EXPUNGED -> "UID EXPUNGE";
            case FLAGGED -> "flagged \\Deleted only: the server has no UIDPLUS";
            case MOVED -> "moved to the fallback folder";
            case COPIED_AND_FLAGGED -> "copied to the fallback folder and flagged \\Deleted";
        };
    }
}
