package org.popbridge.proxy.upstream.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.session.LocalAuthorization;
import org.popbridge.proxy.pop3.session.MessageNumber;
import org.popbridge.proxy.pop3.session.ReplyOutbox;
import org.popbridge.proxy.upstream.imap.client.CommitOutcome;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.MailboxSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POP3 TRANSACTION and UPDATE states (RFC 1939 sections 5 and 6) over an IMAP mailbox
 * numbered at login. STAT, LIST and UIDL are answered from the snapshot; RETR and TOP stream
 * UID FETCH literals; DELE and RSET only mark; QUIT applies the marks with UID STORE and
 * UID EXPUNGE, never a bare EXPUNGE.
 */
final class ImapTransaction {

    private static final Logger log = LoggerFactory.getLogger(ImapTransaction.class);

    private final ImapLink link;
    private final ImapOptions options;
    private final MailboxSnapshot snapshot;
    private final Maildrop maildrop;
    private final ReplyOutbox outbox;
    private final MessageStream.Breakage breakage;
    private final String sessionId;

    ImapTransaction(ImapLink link, ImapOptions options, MailboxSnapshot snapshot, ReplyOutbox outbox,
                    MessageStream.Breakage breakage, String sessionId) {
        this.link = link;
        this.options = options;
        this.snapshot = snapshot;
        this.maildrop = new Maildrop(snapshot.entries(), true);
        this.outbox = outbox;
        this.breakage = breakage;
        this.sessionId = sessionId;
    }

    void handle(Pop3Command command) {
        List<String> arguments = command.arguments();
        switch (command.keyword()) {
            case "STAT" -> {
                Maildrop.Stat stat = maildrop.stat();
                outbox.ok(stat.messages() + " " + stat.octets());
            }
            case "LIST" -> listing(arguments, Maildrop.Column.SIZE);
            case "UIDL" -> listing(arguments, Maildrop.Column.UID);
            case "RETR" -> message(arguments.get(0)).ifPresent(number ->
                    link.retrieve(uid(number), options.markSeen(), new MessageStream(outbox, number, false, breakage)));
            case "TOP" -> message(arguments.get(0)).ifPresent(number -> top(number, arguments.get(1)));
            case "DELE" -> message(arguments.get(0)).ifPresent(number -> {
                maildrop.markDeleted(number);
                outbox.ok("message " + number + " deleted");
            });
            case "RSET" -> {
                maildrop.clearDeletions();
                Maildrop.Stat stat = maildrop.stat();
                outbox.ok("maildrop has " + stat.messages() + " messages (" + stat.octets() + " octets)");
            }
            case "NOOP" -> link.noop().whenComplete((done, failure) -> {
                if (failure == null) {
                    outbox.ok("");
                } else if (link.isOpen()) {
                    outbox.err("[SYS/TEMP] the mail server did not take NOOP");
                }
            });
            case "CAPA" -> outbox.multiline("Capability list follows", LocalAuthorization.CAPABILITIES.lines());
            case "QUIT" -> quit();
            default -> outbox.err("command not supported by an IMAP mailbox");
        }
    }

    private void listing(List<String> arguments, Maildrop.Column column) {
        if (arguments.isEmpty()) {
            outbox.multiline(column == Maildrop.Column.SIZE ? "scan listing follows" : "unique-id listing follows",
                    maildrop.listing(column));
            return;
        }
        message(arguments.get(0)).ifPresent(number -> outbox.ok(maildrop.line(number, column)));
    }

    private void top(int number, String lines) {
        long count;
        try {
            count = Long.parseLong(lines);
        } catch (NumberFormatException e) {
            // More lines than any message has: the whole body.
            count = Long.MAX_VALUE;
        }
        link.top(snapshot.message(number).orElseThrow(), count, new MessageStream(outbox, number, true, breakage));
    }

    /** The message number, or empty after -ERR: out of range, or marked deleted (RFC 1939 section 5). */
    private Optional<Integer> message(String argument) {
        return MessageNumber.resolve(argument, maildrop, outbox::err).map(entry -> MessageNumber.parse(argument));
    }

    private long uid(int number) {
        return snapshot.message(number).orElseThrow().uid();
    }

    /** UPDATE (RFC 1939 section 6): the marked messages go, and only they. */
    private void quit() {
        List<Long> deleted = new ArrayList<>();
        for (int number = 1; number <= maildrop.size(); number++) {
            if (maildrop.isDeleted(number)) {
                deleted.add(uid(number));
            }
        }
        link.commit(deleted, options.withoutUidplus()).whenComplete((outcome, failure) -> {
            if (failure != null) {
                log.warn("[{}] QUIT: deleting {} message(s) failed: {}", sessionId, deleted.size(),
                        Failures.describe(failure));
                outbox.err("[SYS/TEMP] some deleted messages were not removed");
                return;
            }
            log.info("[{}] QUIT: {} message(s) deleted ({})", sessionId, deleted.size(), describe(outcome));
            outbox.ok("popbridge signing off (" + deleted.size() + " messages deleted)");
        });
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
